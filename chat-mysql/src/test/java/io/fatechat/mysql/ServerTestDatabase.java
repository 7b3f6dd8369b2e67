package io.fatechat.mysql;

import io.fatechat.testing.JdbcServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/** A database {@code fatechat_it_<random>} on a MariaDB or MySQL server; dropped on close. */
final class ServerTestDatabase implements TestDatabase {

    private final JdbcServer server;
    private final String name = "fatechat_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    ServerTestDatabase(JdbcServer server) {
        this.server = server;
        admin("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }

    @Override
    public JdbcStoreConfig.Builder config() {
        return builder(server.host(), server.port());
    }

    @Override
    public JdbcStoreConfig.Builder configVia(TcpProxy proxy) {
        return builder("127.0.0.1", proxy.port());
    }

    @Override
    public int serverPort() {
        return server.port();
    }

    @Override
    public TestDatabase sibling() {
        return new ServerTestDatabase(server);
    }

    String name() {
        return name;
    }

    private JdbcStoreConfig.Builder builder(String host, int port) {
        return JdbcStoreConfig.builder(server.databaseUrl(host, port, name))
                .username(server.user()).password(server.password().isEmpty() ? null : server.password())
                .maximumPoolSize(4)
                .connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + name);
    }

    private void admin(String sql) {
        String adminUrl = server.databaseUrl(server.host(), server.port(), "");
        try (Connection c = DriverManager.getConnection(adminUrl, server.user(), server.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + server.label() + " at " + adminUrl
                    + " (set FATECHAT_MYSQL_URL/USER/PASSWORD to another server)", e);
        }
    }

    @Override
    public String toString() {
        return server.label() + " " + name;
    }
}
