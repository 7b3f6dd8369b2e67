package io.fatechat.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.UUID;

/**
 * An empty database {@code fatechat_it_<random>} on a MySQL-protocol server, created by {@link #create} and dropped
 * by {@link #close()}: each test class keeps apart from the others on the shared server by its own database.
 */
public final class ThrowawayDatabase implements AutoCloseable {

    private final JdbcServer server;
    private final String name =
            "fatechat_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private ThrowawayDatabase(JdbcServer server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    /** Creates the database (utf8mb4) on {@code server}. */
    public static ThrowawayDatabase create(JdbcServer server) {
        ThrowawayDatabase database = new ThrowawayDatabase(server);
        database.admin("CREATE DATABASE " + database.name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return database;
    }

    /** The server that holds it. */
    public JdbcServer server() {
        return server;
    }

    /** The database's name, e.g. {@code fatechat_it_1a2b3c4d5e6f}. */
    public String name() {
        return name;
    }

    /** Its JDBC URL on the server's own address. */
    public String url() {
        return server.databaseUrl(server.host(), server.port(), name);
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
            throw new IllegalStateException(
                    "cannot run '" + sql + "' on " + server.label() + " at " + adminUrl
                            + " (set FATECHAT_TEST_MYSQL_URL/USER/PASSWORD to another server)",
                    e);
        }
    }

    @Override
    public String toString() {
        return server.label() + " " + name;
    }
}
