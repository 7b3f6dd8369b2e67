package io.fatechat.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link JdbcStoresContract} on in-process H2 in MySQL mode: a unit test, it needs no service. */
class H2JdbcStoresTest extends JdbcStoresContract {

    @Override
    TestDatabase newDatabase() {
        return new H2TestDatabase();
    }

    @Test
    void aHostsH2DataSourceOutsideMySqlModeIsRefusedAndStaysOpen() {
        String url = "jdbc:h2:mem:host-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        HikariDataSource host = new HikariDataSource();
        host.setJdbcUrl(url);
        try (host) {
            assertThatThrownBy(() -> JdbcChatStores.start(
                            JdbcStoreConfig.builder(JdbcStoreConfig.DEFAULT_H2_URL)
                                    .build(),
                            host))
                    .isInstanceOf(JdbcStoreException.class)
                    .hasMessageContaining("MODE=MySQL");
            assertThat(host.isClosed()).isFalse();
        }
    }
}
