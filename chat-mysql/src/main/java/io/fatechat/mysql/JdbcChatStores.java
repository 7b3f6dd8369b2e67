package io.fatechat.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fatechat.mysql.internal.EvictBrokenConnections;
import io.fatechat.mysql.internal.SchemaMigrator;
import io.fatechat.mysql.internal.SqlErrorClassifier;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ClosedException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
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
 * {@link #close()} closes the pool; the stores' own {@code close()} does nothing. Started on a host's own
 * {@link DataSource} ({@link #start(JdbcStoreConfig, DataSource)}) it uses that pool and never closes it.
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
    private final DataSource dataSource;
    private final boolean ownsDataSource;
    private final boolean h2;
    private final Jdbi jdbi;
    private final List<Integer> appliedMigrations;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final JdbcUserStore users;
    private final JdbcRoomStore rooms;
    private final JdbcHistoryStore history;
    private final JdbcConversationStore conversations;
    private final JdbcRecoverySessionStore recoverySessions;

    private JdbcChatStores(
            JdbcStoreConfig config,
            DataSource dataSource,
            boolean ownsDataSource,
            boolean h2,
            List<Integer> appliedMigrations) {
        this.config = config;
        this.dataSource = dataSource;
        this.ownsDataSource = ownsDataSource;
        this.h2 = h2;
        this.jdbi = Jdbi.create(dataSource);
        this.appliedMigrations = List.copyOf(appliedMigrations);
        Tables tables = new Tables(config.tablePrefix());
        Supplier<Jdbi> open = this::jdbi;
        this.users = new JdbcUserStore(open, tables);
        this.rooms = new JdbcRoomStore(open, tables);
        this.history = new JdbcHistoryStore(open, tables);
        this.conversations = new JdbcConversationStore(open, tables, h2);
        this.recoverySessions = new JdbcRecoverySessionStore(open, tables, h2);
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
                throw new JdbcStoreException(
                        "no JDBC driver on the class path accepts "
                                + JdbcStoreConfig.redact(config.jdbcUrl())
                                + " (jdbc:h2: needs com.h2database:h2, jdbc:mariadb: needs org.mariadb.jdbc:mariadb-java-client)",
                        e);
            }
            throw new BackendUnavailableException(
                    "jdbc", "cannot open a connection to " + JdbcStoreConfig.redact(config.jdbcUrl()), e);
        }
        return prepare(config, dataSource, true, config.isH2(), JdbcStoreConfig.redact(config.jdbcUrl()));
    }

    /**
     * The stores on a pool the caller owns, e.g. a Spring Boot application's {@code DataSource}: brings the schema
     * up to date as {@link #start(JdbcStoreConfig)} does (under the same lock, so nodes may start at once), and
     * never closes {@code dataSource}, not even when starting fails. Of {@code config} only {@code tablePrefix},
     * {@code migrateSchema} and {@code connectionTimeout} (the health check's) apply: the URL, credentials, pool
     * size and socket timeout are the pool's own. The database must be MySQL 8, MariaDB 10.6+ or H2 in MySQL mode;
     * the pool needs at least two connections while migrating. H2's {@code WRITE_DELAY} is left as the owner set
     * it.
     *
     * @throws BackendUnavailableException when no connection can be had from {@code dataSource}
     * @throws JdbcStoreException when the database is not one of those, or the schema cannot be created or is
     *         out of date
     */
    public static JdbcChatStores start(JdbcStoreConfig config, DataSource dataSource) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(dataSource, "dataSource");
        String url;
        boolean isH2;
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            String product = String.valueOf(meta.getDatabaseProductName());
            url = JdbcStoreConfig.redact(String.valueOf(meta.getURL()));
            isH2 = product.equalsIgnoreCase("H2");
            if (!isH2 && !product.equalsIgnoreCase("MySQL") && !product.equalsIgnoreCase("MariaDB")) {
                throw new JdbcStoreException(
                        "the DataSource connects to " + product + " (" + url + "); the JDBC stores"
                                + " support MySQL 8, MariaDB 10.6+ and H2 in MySQL mode",
                        null);
            }
            if (isH2 && !h2InMySqlMode(connection)) {
                throw new JdbcStoreException(
                        "the DataSource's H2 database (" + url + ") is not in MySQL mode, which"
                                + " the JDBC stores need: add ;MODE=MySQL;DATABASE_TO_LOWER=TRUE to its URL",
                        null);
            }
        } catch (SQLException e) {
            throw new BackendUnavailableException("jdbc", "cannot open a connection from the DataSource", e);
        }
        return prepare(config, dataSource, false, isH2, url);
    }

    private static boolean h2InMySqlMode(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet mode = statement.executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'")) {
            return mode.next() && "MySQL".equalsIgnoreCase(mode.getString(1));
        }
    }

    private static JdbcChatStores prepare(
            JdbcStoreConfig config, DataSource dataSource, boolean owned, boolean isH2, String redactedUrl) {
        try {
            SchemaMigrator migrator = new SchemaMigrator(dataSource, config.tablePrefix(), MIGRATION_LOCK_TIMEOUT);
            List<Integer> applied;
            if (config.migrateSchema()) {
                applied = migrator.migrate();
            } else {
                int version = migrator.currentVersion();
                if (version < SchemaMigrator.latestVersion()) {
                    throw new JdbcStoreException(
                            "the schema is at version " + version + " but this version of Fatechat"
                                    + " needs " + SchemaMigrator.latestVersion()
                                    + "; apply META-INF/fatechat/mysql-schema.sql"
                                    + " or enable migrateSchema",
                            null);
                }
                applied = List.of();
            }
            if (isH2 && owned) {
                writeH2CommitsAtOnce(dataSource);
            }
            LOG.info(
                    "JDBC stores ready on {}{} (schema version {}, applied now: {})",
                    redactedUrl,
                    owned ? "" : " (the host's DataSource)",
                    SchemaMigrator.latestVersion(),
                    applied);
            return new JdbcChatStores(config, dataSource, owned, isH2, applied);
        } catch (SQLException | RuntimeException e) {
            if (owned && dataSource instanceof HikariDataSource pool) {
                pool.close();
            }
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
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
        } catch (SQLException e) {
            LOG.warn(
                    "Could not SET WRITE_DELAY 0 on H2 (it needs an admin user): a crash may lose the messages "
                            + "committed in its last 500 ms ({})",
                    e.getMessage());
        }
    }

    private static boolean isMissingDriver(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null
                    && (message.contains("No suitable driver") || message.contains("Failed to get driver instance"))) {
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
            hikari.addDataSourceProperty(
                    "socketTimeout", String.valueOf(config.socketTimeout().toMillis()));
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

    /** Whether {@link #dataSource()} is this instance's own pool (false when started on a caller's DataSource). */
    public boolean ownsDataSource() {
        return ownsDataSource;
    }

    /** Whether the database is H2 (in MySQL mode). */
    public boolean isH2() {
        return h2;
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
            return connection.isValid(
                    (int) Math.max(1, config.connectionTimeout().toSeconds()));
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Closes the pool when it is this instance's own; a caller's DataSource stays open. The stores fail with
     * {@link ClosedException} afterwards. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsDataSource && dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }

    private Jdbi jdbi() {
        if (closed.get()) {
            throw new ClosedException("jdbc stores");
        }
        return jdbi;
    }
}
