package io.fatechat.spring;

import com.zaxxer.hikari.HikariDataSource;
import io.fatechat.testing.JdbcDatabaseExtension;
import io.fatechat.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC stores on the application's own pool to MariaDB (found by {@link TestServices}), in a throwaway database. */
class FatechatJdbcApplicationDataSourceIT {

    @RegisterExtension
    static final JdbcDatabaseExtension DB = JdbcDatabaseExtension.onMariaDb();

    @Test
    void theApplicationsMariaDbPoolServesTheStoresAndStaysOpen() throws Exception {
        try (HikariDataSource pool = FatechatJdbcApplicationDataSourceTest.applicationPool(DB.url())) {
            pool.setUsername(DB.server().user());
            pool.setPassword(DB.server().password());
            FatechatJdbcApplicationDataSourceTest.storesUseTheApplicationsPoolAndLeaveItOpen(
                    StarterRunners.starter(), pool);
        }
    }
}
