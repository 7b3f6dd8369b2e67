package io.fatechat.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fatechat.mysql.internal.EvictBrokenConnections;
import io.fatechat.mysql.internal.SchemaMigrator;
import io.fatechat.mysql.internal.SqlErrorClassifier;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ClosedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC stores of one database: opens the connection pool, creates or migrates the schema, and hands out
 * {@link JdbcUserStore}, {@link JdbcRoomStore}, {@link JdbcHistoryStore} and {@link JdbcConversationStore}, which
 * share the pool.
 * {@link #close()} closes the pool; the stores' own {@code close()} does nothing.
 *
 * <pre>{@code
 * try (JdbcChatStores stores = JdbcChatStores.start(JdbcStoreConfig.builder(url).build())) {
 *     ChatEngine engine = ChatEngine.builder()
 *             .userStore(stores.users()).roomStore(stores.rooms()).historyStore(stores.history())
 *             .build();
 * }
 * }</pre>
 */
public final class JdbcChatStores implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcChatStores.class);
    private static final Duration MIGRATION_LOCK_TIMEOUT = Duration.ofSeconds(60);

    private final JdbcStoreConfig config;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final List<Integer> appliedMigrations;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final JdbcUserStore users;
    private final JdbcRoomStore rooms;
    private final JdbcHistoryStore history;
    private final JdbcConversationStore conversations;
    private final JdbcRecoverySessionStore recoverySessions;

    private JdbcChatStores(JdbcStoreConfig config, HikariDataSource dataSource, List<Integer> appliedMigrations) {
        this.config = config;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.appliedMigrations = List.copyOf(appliedMigrations);
        Tables tables = new Tables(config.tablePrefix());
        Supplier<Jdbi> open = this::jdbi;
        this.users = new JdbcUserStore(open, tables);
        this.rooms = new JdbcRoomStore(open, tables);
        this.history = new JdbcHistoryStore(open, tables);
        this.conversations = new JdbcConversationStore(open, tables);
        this.recoverySessions = new JdbcRecoverySessionStore(open, tables);
    }

    /**
     * Opens the pool and brings the schema up to date (or, with {@code migrateSchema(false)}, checks it is).
     *
     * @throws BackendUnavailableException when the database cannot be reached
     * @throws JdbcStoreException when the schema cannot be created or is out of date
     */
    public static JdbcChatStores start(JdbcStoreConfig config) {
        Objects.requireNonNull(config, "config");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(hikariConfig(config));
        } catch (RuntimeException e) {
            if (isMissingDriver(e)) {
                throw new JdbcStoreException("no JDBC driver on the class path accepts "
                        + JdbcStoreConfig.redact(config.jdbcUrl())
                        + " (jdbc:h2: needs com.h2database:h2, jdbc:mariadb: needs org.mariadb.jdbc:mariadb-java-client)", e);
            }
            throw new BackendUnavailableException("jdbc", "cannot open a connection to "
                    + JdbcStoreConfig.redact(config.jdbcUrl()), e);
        }
        try {
            SchemaMigrator migrator = new SchemaMigrator(dataSource, config.tablePrefix(), MIGRATION_LOCK_TIMEOUT);
            List<Integer> applied;
            if (config.migrateSchema()) {
                applied = migrator.migrate();
            } else {
                int version = migrator.currentVersion();
                if (version < SchemaMigrator.latestVersion()) {
                    throw new JdbcStoreException("the schema is at version " + version + " but this version of Fatechat"
                            + " needs " + SchemaMigrator.latestVersion() + "; apply META-INF/fatechat/mysql-schema.sql"
                            + " or enable migrateSchema", null);
                }
                applied = List.of();
            }
            if (config.isH2()) {
                writeH2CommitsAtOnce(dataSource);
            }
            LOG.info("JDBC stores ready on {} (schema version {}, applied now: {})",
                    JdbcStoreConfig.redact(config.jdbcUrl()), SchemaMigrator.latestVersion(), applied);
            return new JdbcChatStores(config, dataSource, applied);
        } catch (SQLException | RuntimeException e) {
            dataSource.close();
            if (e instanceof JdbcStoreException j) {
                throw j;
            }
            if (SqlErrorClassifier.isUnavailable(e)) {
                throw new BackendUnavailableException("jdbc", "cannot prepare the schema", e);
            }
            throw new JdbcStoreException("cannot prepare the schema", e);
        }
    }

    /**
     * H2 keeps a committed transaction in memory for up to its WRITE_DELAY (500 ms by default) before writing it
     * to the file, so a crash of the process loses what was committed (and acknowledged) last. With 0 every
     * commit reaches the file; the engine's group commit keeps that to one write per batch. It survives a crash
     * of the process, not of the machine (no fsync per commit).
     */
    private static void writeH2CommitsAtOnce(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
        } catch (SQLException e) {
            LOG.warn("Could not SET WRITE_DELAY 0 on H2 (it needs an admin user): a crash may lose the messages "
                    + "committed in its last 500 ms ({})", e.getMessage());
        }
    }

    private static boolean isMissingDriver(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("No suitable driver") || message.contains("Failed to get driver instance"))) {
                return true;
            }
        }
        return false;
    }

    private static HikariConfig hikariConfig(JdbcStoreConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("fatechat-jdbc");
        hikari.setJdbcUrl(config.jdbcUrl());
        if (config.username() != null) {
            hikari.setUsername(config.username());
        }
        if (config.password() != null) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.maximumPoolSize());
        hikari.setMinimumIdle(Math.min(2, config.maximumPoolSize()));
        long timeout = config.connectionTimeout().toMillis();
        hikari.setConnectionTimeout(timeout);
        hikari.setValidationTimeout(Math.max(250, Math.min(1000, timeout)));
        hikari.setInitializationFailTimeout(timeout);
        hikari.setAutoCommit(true);
        hikari.setExceptionOverride(new EvictBrokenConnections());
        String url = config.jdbcUrl().toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
            // fail fast: neither a dead host nor a silent server may hold a caller longer than these
            hikari.addDataSourceProperty("connectTimeout", String.valueOf(timeout));
            hikari.addDataSourceProperty("socketTimeout", String.valueOf(config.socketTimeout().toMillis()));
        }
        if (url.startsWith("jdbc:mysql:")) {
            hikari.addDataSourceProperty("characterEncoding", "UTF-8");
            hikari.addDataSourceProperty("tcpKeepAlive", "true");
            hikari.addDataSourceProperty("cachePrepStmts", "true");
            hikari.addDataSourceProperty("prepStmtCacheSize", "250");
            hikari.addDataSourceProperty("prepStmtCacheSqlLimit", "4096");
        }
        return hikari;
    }

    /** The user store; shares this instance's pool. */
    public JdbcUserStore users() {
        return users;
    }

    /** The room store; shares this instance's pool. */
    public JdbcRoomStore rooms() {
        return rooms;
    }

    /** The history store; shares this instance's pool. */
    public JdbcHistoryStore history() {
        return history;
    }

    /** The conversation store (membership, read markers, unread counts); shares this instance's pool. */
    public JdbcConversationStore conversations() {
        return conversations;
    }

    /** The recovery session store (Socket.IO connection state recovery); shares this instance's pool. */
    public JdbcRecoverySessionStore recoverySessions() {
        return recoverySessions;
    }

    /** The pool, for a host's health checks and pool metrics; {@link #close()} closes it, never the host. */
    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcStoreConfig config() {
        return config;
    }

    /** The schema versions this instance applied at start; empty when the schema was current already. */
    public List<Integer> appliedMigrations() {
        return appliedMigrations;
    }

    /** The schema version this code works with. */
    public static int schemaVersion() {
        return SchemaMigrator.latestVersion();
    }

    /** Whether a connection can be had and answers, within the connection timeout: for health checks. */
    public boolean isHealthy() {
        if (closed.get()) {
            return false;
        }
        try (var connection = dataSource.getConnection()) {
            return connection.isValid((int) Math.max(1, config.connectionTimeout().toSeconds()));
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Closes the pool. The stores fail with {@link ClosedException} afterwards. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            dataSource.close();
        }
    }

    private Jdbi jdbi() {
        if (closed.get()) {
            throw new ClosedException("jdbc stores");
        }
        return jdbi;
    }
}
