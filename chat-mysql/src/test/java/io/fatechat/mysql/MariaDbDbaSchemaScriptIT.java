package io.fatechat.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DDL shipped for DBAs ({@code META-INF/fatechat/mysql-schema.sql}) runs on MariaDB as a script would (statement
 * by statement, no error handler), twice over, and over a schema the stores migrated themselves; the stores then
 * accept it without migrating.
 */
class MariaDbDbaSchemaScriptIT {

    @Test
    void theScriptRunsTwiceAndTheStoresAcceptTheSchema() throws Exception {
        try (ServerTestDatabase database = (ServerTestDatabase) TestDatabase.mariaDb()) {
            JdbcStoreConfig config = database.config().build();
            runScript(config);
            runScript(config);

            assertThat(columns(config, "fatechat_users")).contains("tokens_revoked_before");
            try (JdbcChatStores stores =
                    JdbcChatStores.start(database.config().migrateSchema(false).build())) {
                assertThat(stores.users().findByEmail("nobody@example.com")).isEmpty();
            }
        }
    }

    @Test
    void theScriptRunsOverASchemaTheStoresMigrated() throws Exception {
        try (ServerTestDatabase database = (ServerTestDatabase) TestDatabase.mariaDb()) {
            JdbcStoreConfig config = database.config().build();
            JdbcChatStores.start(config).close();

            runScript(config);

            assertThat(columns(config, "fatechat_users")).contains("tokens_revoked_before");
        }
    }

    private static void runScript(JdbcStoreConfig config) throws Exception {
        List<String> statements = statements();
        assertThat(statements).as("statements of the script").hasSizeGreaterThan(10);
        try (Connection c = connect(config);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Split as the mysql client does for this script: comment lines skipped, a statement ends with a semicolon. */
    private static List<String> statements() throws Exception {
        String script;
        try (InputStream in = MariaDbDbaSchemaScriptIT.class
                .getClassLoader()
                .getResourceAsStream("META-INF/fatechat/mysql-schema.sql")) {
            assertThat(in).as("mysql-schema.sql on the classpath").isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.isBlank() || line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        assertThat(current.toString()).as("text after the last statement").isBlank();
        return statements;
    }

    private static List<String> columns(JdbcStoreConfig config, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = connect(config);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COLUMN_NAME FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "'")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    private static Connection connect(JdbcStoreConfig config) throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
    }
}
