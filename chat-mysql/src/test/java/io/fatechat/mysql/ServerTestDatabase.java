package io.fatechat.mysql;

import io.fatechat.testing.JdbcServer;
import io.fatechat.testing.ThrowawayDatabase;
import java.time.Duration;

/** A {@link ThrowawayDatabase} on a MariaDB or MySQL server, with store configs for it; dropped on close. */
final class ServerTestDatabase implements TestDatabase {

    private final JdbcServer server;
    private final ThrowawayDatabase database;

    ServerTestDatabase(JdbcServer server) {
        this.server = server;
        this.database = ThrowawayDatabase.create(server);
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
        return database.name();
    }

    private JdbcStoreConfig.Builder builder(String host, int port) {
        return JdbcStoreConfig.builder(server.databaseUrl(host, port, database.name()))
                .username(server.user())
                .password(server.password().isEmpty() ? null : server.password())
                .maximumPoolSize(4)
                .connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        database.close();
    }

    @Override
    public String toString() {
        return database.toString();
    }
}
