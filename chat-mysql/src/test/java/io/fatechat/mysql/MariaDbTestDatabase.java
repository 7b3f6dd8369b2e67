package io.fatechat.mysql;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * A database {@code fatechat_it_<random>} on the MariaDB (or MySQL) server named by FATECHAT_MYSQL_URL
 * (default {@code jdbc:mysql://127.0.0.1:3306}), FATECHAT_MYSQL_USER (root) and FATECHAT_MYSQL_PASSWORD (empty);
 * dropped on close.
 */
final class MariaDbTestDatabase implements TestDatabase {

    private static final String URL = env("FATECHAT_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306");
    private static final String USER = env("FATECHAT_MYSQL_USER", "root");
    private static final String PASSWORD = env("FATECHAT_MYSQL_PASSWORD", "");

    private final String name = "fatechat_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final URI server = URI.create(URL.replaceFirst("(?i)^jdbc:", ""));

    MariaDbTestDatabase() {
        admin("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }

    @Override
    public JdbcStoreConfig.Builder config() {
        return builder(server.getHost(), port());
    }

    @Override
    public JdbcStoreConfig.Builder configVia(TcpProxy proxy) {
        return builder("127.0.0.1", proxy.port());
    }

    @Override
    public int serverPort() {
        return port();
    }

    @Override
    public TestDatabase sibling() {
        return new MariaDbTestDatabase();
    }

    String name() {
        return name;
    }

    private JdbcStoreConfig.Builder builder(String host, int port) {
        String query = server.getRawQuery() == null ? "" : "?" + server.getRawQuery();
        return JdbcStoreConfig.builder("jdbc:" + server.getScheme() + "://" + host + ":" + port + "/" + name + query)
                .username(USER).password(PASSWORD.isEmpty() ? null : PASSWORD)
                .maximumPoolSize(4)
                .connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(10));
    }

    private int port() {
        return server.getPort() < 0 ? 3306 : server.getPort();
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + name);
    }

    private void admin(String sql) {
        String query = server.getRawQuery() == null ? "" : "?" + server.getRawQuery();
        String adminUrl = "jdbc:" + server.getScheme() + "://" + server.getHost() + ":" + port() + "/" + query;
        try (Connection c = DriverManager.getConnection(adminUrl, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + adminUrl
                    + " (is MariaDB up? set FATECHAT_MYSQL_URL/USER/PASSWORD)", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    @Override
    public String toString() {
        return "MariaDB " + name.toLowerCase(Locale.ROOT);
    }
}
