package io.fatechat.mysql;

import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.h2.tools.Server;

/**
 * An in-memory H2 database in MySQL mode, served in-process and, for proxied configs, over H2's TCP server.
 * {@code DB_CLOSE_DELAY=-1} keeps it while no pool holds a connection; close drops it.
 */
final class H2TestDatabase implements TestDatabase {

    private static final String SETTINGS = ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";

    private final String name =
            "fatechat_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private Server tcpServer;

    @Override
    public JdbcStoreConfig.Builder config() {
        return tune(JdbcStoreConfig.builder("jdbc:h2:mem:" + name + SETTINGS));
    }

    @Override
    public synchronized JdbcStoreConfig.Builder configVia(TcpProxy proxy) {
        return tune(JdbcStoreConfig.builder("jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/mem:" + name + SETTINGS));
    }

    @Override
    public synchronized int serverPort() {
        if (tcpServer == null) {
            try {
                tcpServer =
                        Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot start the H2 TCP server", e);
            }
        }
        return tcpServer.getPort();
    }

    @Override
    public TestDatabase sibling() {
        return new H2TestDatabase();
    }

    private static JdbcStoreConfig.Builder tune(JdbcStoreConfig.Builder builder) {
        return builder.maximumPoolSize(4).connectionTimeout(Duration.ofSeconds(1));
    }

    @Override
    public synchronized void close() {
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:mem:" + name + SETTINGS);
                var s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop H2 database " + name, e);
        } finally {
            if (tcpServer != null) {
                tcpServer.stop();
            }
        }
    }

    @Override
    public String toString() {
        return "H2 " + name;
    }
}
