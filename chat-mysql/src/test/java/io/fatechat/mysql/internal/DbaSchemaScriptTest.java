package io.fatechat.mysql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.mysql.JdbcStoreConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The DBA script shipped in the jar must be exactly what the migrations apply, so the two cannot drift. */
class DbaSchemaScriptTest {

    @Test
    void shippedScriptMatchesTheMigrations() throws Exception {
        String expected = SchemaMigrator.dbaScript(JdbcStoreConfig.DEFAULT_TABLE_PREFIX);
        String shipped;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/fatechat/mysql-schema.sql")) {
            assertThat(in).as("META-INF/fatechat/mysql-schema.sql on the classpath").isNotNull();
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!shipped.equals(expected) && Boolean.getBoolean("fatechat.regenerateSchema")) {
            Files.writeString(Path.of("src/main/resources/META-INF/fatechat/mysql-schema.sql"), expected);
        }
        assertThat(shipped)
                .as("mysql-schema.sql is out of date; regenerate with -Dfatechat.regenerateSchema=true")
                .isEqualTo(expected);
    }
}
