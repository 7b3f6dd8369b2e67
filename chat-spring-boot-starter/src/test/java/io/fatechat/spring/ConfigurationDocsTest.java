package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md documents exactly the keys of the generated configuration metadata, with the same
 * defaults: a documented key that does nothing, or a key nobody documented, fails here.
 */
class ConfigurationDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(fatechat\\.[a-z0-9.*-]+)` \\| ([^|]+) \\|");

    @Test
    void docsListEveryKeyOfTheMetadataWithItsDefault() throws IOException {
        assertThat(documented()).isEqualTo(fromMetadata());
    }

    private static Map<String, String> documented() throws IOException {
        Map<String, String> keys = new TreeMap<>();
        boolean keyTable = false;
        for (String line : Files.readAllLines(Path.of("..", "docs", "configuration.md"))) {
            if (!line.startsWith("|")) {
                keyTable = false;
            } else if (line.startsWith("| key |")) {
                keyTable = true;
            }
            Matcher m = ROW.matcher(line);
            if (keyTable && m.find()) {
                String value = m.group(2).trim();
                keys.put(m.group(1), value.equals("*(unset)*") ? "" : value.replace("`", ""));
            }
        }
        return keys;
    }

    private static Map<String, String> fromMetadata() throws IOException {
        Map<String, String> keys = new TreeMap<>();
        try (InputStream in =
                ConfigurationDocsTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            for (JsonNode property : new ObjectMapper().readTree(in).get("properties")) {
                String name = property.get("name").asText();
                if (!name.startsWith("fatechat.")) {
                    continue;
                }
                if (property.get("type").asText().startsWith("java.util.Map")) {
                    name += ".*";
                }
                JsonNode value = property.get("defaultValue");
                keys.put(name, value == null ? "" : value.asText());
            }
        }
        return keys;
    }
}
