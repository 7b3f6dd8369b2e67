package io.fatechat.mysql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.mysql.JdbcStoreConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The DBA script shipped in the jar must be exactly what the migrations apply, so the two cannot drift; and every
 * migration script on the classpath must be one the migrator (and so the DBA script) knows, so a new
 * {@code V<n>__<name>.sql} cannot be left out of both.
 */
class DbaSchemaScriptTest {

    private static final Pattern MIGRATION_FILE = Pattern.compile("V(\\d+)__\\w+\\.sql");

    @Test
    void shippedScriptMatchesTheMigrations() throws Exception {
        String expected = SchemaMigrator.dbaScript(JdbcStoreConfig.DEFAULT_TABLE_PREFIX);
        String shipped;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/fatechat/mysql-schema.sql")) {
            assertThat(in)
                    .as("META-INF/fatechat/mysql-schema.sql on the classpath")
                    .isNotNull();
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!shipped.equals(expected) && Boolean.getBoolean("fatechat.regenerateSchema")) {
            Files.writeString(Path.of("src/main/resources/META-INF/fatechat/mysql-schema.sql"), expected);
        }
        assertThat(shipped)
                .as("mysql-schema.sql is out of date; regenerate with -Dfatechat.regenerateSchema=true")
                .isEqualTo(expected);
    }

    @Test
    void everyMigrationScriptIsListedOnceInVersionOrder() throws Exception {
        Path dir = Path.of(getClass()
                .getClassLoader()
                .getResource("io/fatechat/mysql/schema")
                .toURI());
        List<String> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".sql"))
                    .toList();
        }
        assertThat(files)
                .as("scripts in io/fatechat/mysql/schema")
                .allMatch(n -> MIGRATION_FILE.matcher(n).matches());
        List<String> byVersion = files.stream()
                .sorted(java.util.Comparator.comparingInt(DbaSchemaScriptTest::version))
                .map(n -> "io/fatechat/mysql/schema/" + n)
                .toList();

        assertThat(SchemaMigrator.MIGRATIONS)
                .extracting(SchemaMigrator.Migration::resource)
                .as("SchemaMigrator.MIGRATIONS against the V<n>__*.sql files")
                .containsExactlyElementsOf(byVersion);
        assertThat(SchemaMigrator.MIGRATIONS)
                .extracting(SchemaMigrator.Migration::version)
                .as("versions 1, 2, ... without gaps, each its file's number")
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, files.size()).boxed().toList())
                .containsExactlyElementsOf(byVersion.stream()
                        .map(r -> version(r.substring(r.lastIndexOf('/') + 1)))
                        .toList());
    }

    private static int version(String fileName) {
        Matcher m = MIGRATION_FILE.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException(fileName);
        }
        return Integer.parseInt(m.group(1));
    }
}
