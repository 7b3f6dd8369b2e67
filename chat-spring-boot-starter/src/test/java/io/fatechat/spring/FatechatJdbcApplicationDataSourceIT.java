package io.fatechat.spring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.fatechat.testing.JdbcServer;
import io.fatechat.testing.TestServices;

/** The JDBC stores on the application's own pool to MariaDB (found by {@link TestServices}), in a throwaway database. */
class FatechatJdbcApplicationDataSourceIT {

    @Test
    void theApplicationsMariaDbPoolServesTheStoresAndStaysOpen() throws Exception {
        JdbcServer server = TestServices.mariaDb();
        String name = "fatechat_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin(server, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        try (HikariDataSource pool = FatechatJdbcApplicationDataSourceTest.applicationPool(
                server.databaseUrl(server.host(), server.port(), name))) {
            pool.setUsername(server.user());
            pool.setPassword(server.password());
            FatechatJdbcApplicationDataSourceTest.storesUseTheApplicationsPoolAndLeaveItOpen(
                    StarterRunners.starter(), pool);
        } finally {
            admin(server, "DROP DATABASE IF EXISTS " + name);
        }
    }

    private static void admin(JdbcServer server, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server.databaseUrl(server.host(), server.port(), ""),
                server.user(), server.password()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
