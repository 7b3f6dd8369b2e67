package io.fatechat.mysql.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and migrates the schema: versioned SQL resources under {@code io/fatechat/mysql/schema/}, applied in
 * order and recorded in {@code <prefix>schema_version}.
 *
 * <p>Nodes starting at once take turns: each holds a row lock on version row 0 on one connection while it
 * migrates on another (MySQL and H2 commit DDL implicitly, which would drop a lock held on the migrating
 * connection). The lock is polled with {@code FOR UPDATE NOWAIT}, which MySQL 8, MariaDB 10.3+ and H2 all
 * understand, so the wait is bounded by this class, not by server settings. Every migration statement is
 * idempotent too, so even a migration interrupted half-way re-runs cleanly.
 */
public final class SchemaMigrator {

    /** One versioned script. */
    public record Migration(int version, String description, String resource) {}

    /** Every migration, in order. Add new ones here and as {@code V<n>__<name>.sql}; never edit a released one. */
    public static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "users, rooms, messages", "io/fatechat/mysql/schema/V1__init.sql"),
            new Migration(2, "conversations, members, read markers", "io/fatechat/mysql/schema/V2__conversations.sql"),
            new Migration(3, "recovery sessions", "io/fatechat/mysql/schema/V3__recovery_sessions.sql"),
            new Migration(4, "token revocation", "io/fatechat/mysql/schema/V4__token_revocation.sql"));

    /** SQLSTATE of "duplicate column name" on MySQL, MariaDB and H2. */
    private static final String DUPLICATE_COLUMN = "42S21";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final String LOCK_ROW_DESCRIPTION = "lock row: locked while a node migrates";

    private final DataSource dataSource;
    private final String prefix;
    private final Duration lockTimeout;

    public SchemaMigrator(DataSource dataSource, String prefix, Duration lockTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
    }

    /** The latest schema version this code knows. */
    public static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /** The SQL of a migration with the table prefix filled in, split into statements. */
    public static List<String> statements(Migration migration, String prefix) {
        String sql;
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(migration.resource())) {
            if (in == null) {
                throw new IllegalStateException(
                        "migration resource missing from the classpath: " + migration.resource());
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + migration.resource(), e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1).replace("${prefix}", prefix));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip().replace("${prefix}", prefix));
        }
        return statements;
    }

    /** The bootstrap statements: the version table and its lock row. */
    public static List<String> bootstrapStatements(String prefix) {
        return List.of(
                "CREATE TABLE IF NOT EXISTS " + prefix + "schema_version (\n"
                        + "  version INT NOT NULL,\n"
                        + "  description VARCHAR(200) NOT NULL,\n"
                        + "  installed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
                        + "  PRIMARY KEY (version)\n"
                        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
                "INSERT IGNORE INTO " + prefix + "schema_version (version, description) VALUES (0, '"
                        + LOCK_ROW_DESCRIPTION + "')");
    }

    /**
     * The whole schema as one script for DBAs: what {@link #migrate()} would apply to an empty database, version
     * rows included, so that stores started with {@code migrateSchema(false)} accept it. Shipped with the default
     * prefix as {@code META-INF/fatechat/mysql-schema.sql}.
     */
    public static String dbaScript(String prefix) {
        StringBuilder sql = new StringBuilder()
                .append("-- Fatechat schema version ")
                .append(latestVersion())
                .append(" for MySQL 8 and MariaDB 10.6+,\n")
                .append("-- table prefix '")
                .append(prefix)
                .append("'. Generated from the migrations under io/fatechat/mysql/schema/;\n")
                .append(
                        "-- JdbcChatStores applies the same at start unless migrateSchema is false. Idempotent: it can be\n")
                .append("-- run again, also over a schema the stores migrated themselves.\n")
                .append("-- Apply with: mysql --default-character-set=utf8mb4 <database> < mysql-schema.sql\n\n");
        for (String statement : bootstrapStatements(prefix)) {
            sql.append(statement).append(";\n\n");
        }
        for (Migration migration : MIGRATIONS) {
            sql.append("-- V")
                    .append(migration.version())
                    .append(": ")
                    .append(migration.description())
                    .append('\n');
            for (String statement : statements(migration, prefix)) {
                sql.append(dbaStatement(statement)).append(";\n\n");
            }
            sql.append("INSERT IGNORE INTO ")
                    .append(prefix)
                    .append("schema_version (version, description) VALUES (")
                    .append(migration.version())
                    .append(", '")
                    .append(migration.description())
                    .append("');\n\n");
        }
        return sql.toString();
    }

    private static final Pattern ADD_COLUMN =
            Pattern.compile("ALTER TABLE (\\w+) ADD COLUMN (\\w+) [^;']*", Pattern.CASE_INSENSITIVE);

    /**
     * A migration statement as the DBA script runs it. MySQL 8 has no {@code ADD COLUMN IF NOT EXISTS} (MariaDB has)
     * and a script has no error handler like {@link #executeIdempotently}, so an added column is added through a
     * statement chosen from {@code information_schema}: the ALTER when the column is missing, a no-op otherwise.
     */
    private static String dbaStatement(String statement) {
        Matcher addColumn = ADD_COLUMN.matcher(statement);
        if (!addColumn.matches()) {
            return statement;
        }
        return "SET @fatechat_ddl = IF((SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = '" + addColumn.group(1) + "' AND COLUMN_NAME = '" + addColumn.group(2)
                + "') = 0,\n"
                + "  '" + statement + "', 'DO 0');\n"
                + "PREPARE fatechat_ddl FROM @fatechat_ddl;\n"
                + "EXECUTE fatechat_ddl;\n"
                + "DEALLOCATE PREPARE fatechat_ddl";
    }

    /**
     * Brings the schema to {@link #latestVersion()}.
     *
     * @return the versions this call applied; empty when the schema was current
     * @throws SQLException on a database error, or a lock not granted within the lock timeout
     */
    public List<Integer> migrate() throws SQLException {
        try (Connection lock = dataSource.getConnection();
                Connection work = dataSource.getConnection()) {
            work.setAutoCommit(true);
            try (Statement s = work.createStatement()) {
                List<String> bootstrap = bootstrapStatements(prefix);
                s.execute(bootstrap.get(0));
                // Insert the lock row only when missing: inserting it while another node holds it locked would
                // wait on the server's lock timeout rather than on this class's.
                if (!lockRowExists(work)) {
                    s.execute(bootstrap.get(1));
                }
            }
            lock.setAutoCommit(false);
            try {
                acquire(lock);
                TreeSet<Integer> applied = appliedVersions(work);
                List<Integer> ran = new ArrayList<>();
                for (Migration migration : MIGRATIONS) {
                    if (applied.contains(migration.version())) {
                        continue;
                    }
                    LOG.info(
                            "Applying schema migration V{} ({}) to tables prefixed '{}'",
                            migration.version(),
                            migration.description(),
                            prefix);
                    try (Statement s = work.createStatement()) {
                        for (String statement : statements(migration, prefix)) {
                            executeIdempotently(s, statement);
                        }
                    }
                    try (var insert = work.prepareStatement(
                            "INSERT INTO " + prefix + "schema_version (version, description) VALUES (?, ?)")) {
                        insert.setInt(1, migration.version());
                        insert.setString(2, migration.description());
                        insert.executeUpdate();
                    }
                    ran.add(migration.version());
                }
                return ran;
            } finally {
                release(lock);
            }
        }
    }

    /**
     * MySQL 8 has no {@code ADD COLUMN IF NOT EXISTS}: a column added by a migration interrupted before it was
     * recorded is already there on the re-run, which is what the statement wanted.
     */
    private static void executeIdempotently(Statement s, String statement) throws SQLException {
        try {
            s.execute(statement);
        } catch (SQLException e) {
            boolean addsColumn = statement.toUpperCase(java.util.Locale.ROOT).contains(" ADD COLUMN ");
            if (!addsColumn || !DUPLICATE_COLUMN.equals(e.getSQLState())) {
                throw e;
            }
            LOG.info("Column already present, skipping: {}", statement);
        }
    }

    private boolean lockRowExists(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM " + prefix + "schema_version WHERE version = 0")) {
            return rs.next();
        }
    }

    /** Ends the lock transaction; a failure here must not hide the migration's own outcome. */
    private static void release(Connection lock) {
        try {
            lock.rollback();
            lock.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.debug("Could not release the schema lock cleanly; the pool discards the connection", e);
        }
    }

    /** The highest version recorded, 0 for none; for a DBA-managed schema, which must be current. */
    public int currentVersion() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            TreeSet<Integer> applied = appliedVersions(c);
            return applied.isEmpty() ? 0 : applied.last();
        }
    }

    private TreeSet<Integer> appliedVersions(Connection c) throws SQLException {
        TreeSet<Integer> versions = new TreeSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM " + prefix + "schema_version WHERE version > 0")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    private void acquire(Connection lock) throws SQLException {
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        long pauseMillis = 20;
        while (true) {
            try (Statement s = lock.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT version FROM " + prefix + "schema_version WHERE version = 0 FOR UPDATE NOWAIT")) {
                if (!rs.next()) {
                    throw new SQLException("the lock row of " + prefix + "schema_version is missing");
                }
                return;
            } catch (SQLException e) {
                if (!SqlErrorClassifier.isLockNotGranted(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                lock.rollback();
                LOG.debug("Another node is migrating the schema; waiting");
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for the schema lock", interrupted);
                }
                pauseMillis = Math.min(pauseMillis * 2, 500);
            }
        }
    }
}
