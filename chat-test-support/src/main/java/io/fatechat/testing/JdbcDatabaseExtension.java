package io.fatechat.testing;

import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link ThrowawayDatabase} for a test class (static field) or each test (instance field), on the MariaDB the
 * tests find ({@link TestServices#mariaDb()}: FATECHAT_TEST_MYSQL_URL, a container where Docker is, or the local server).
 * Modelled on Jdbi's {@code JdbiExtension}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final JdbcDatabaseExtension DB = JdbcDatabaseExtension.onMariaDb();
 * ... DB.url(), DB.server().user(), DB.server().password() ...
 * }</pre>
 */
public final class JdbcDatabaseExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Supplier<JdbcServer> servers;
    private ThrowawayDatabase database;
    private boolean perClass;

    private JdbcDatabaseExtension(Supplier<JdbcServer> servers) {
        this.servers = Objects.requireNonNull(servers, "servers");
    }

    /** On the MariaDB of {@link TestServices#mariaDb()}. */
    public static JdbcDatabaseExtension onMariaDb() {
        return new JdbcDatabaseExtension(TestServices::mariaDb);
    }

    /** On the server {@code servers} gives when the extension starts. */
    public static JdbcDatabaseExtension on(Supplier<JdbcServer> servers) {
        return new JdbcDatabaseExtension(servers);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        database = ThrowawayDatabase.create(servers.get());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            database = ThrowawayDatabase.create(servers.get());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** The database. */
    public ThrowawayDatabase database() {
        if (database == null) {
            throw new IllegalStateException(
                    "JdbcDatabaseExtension is used outside a test: register it with @RegisterExtension");
        }
        return database;
    }

    /** The database's JDBC URL. */
    public String url() {
        return database().url();
    }

    /** The server that holds it (its user and password). */
    public JdbcServer server() {
        return database().server();
    }

    private void close() {
        if (database != null) {
            try {
                database.close();
            } finally {
                database = null;
            }
        }
    }
}
