package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fatechat.core.ChatLimits;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code fatechat.limits.*} follows {@link ChatLimits}: a key per component, documented in the generated metadata
 * with {@link ChatLimits#DEFAULTS}' value, and each key reaching the builder setting of its name.
 */
class ChatLimitsBindingTest {

    private final ApplicationContextRunner runner = StarterRunners.starter();

    @Test
    void theMetadataDocumentsAKeyPerLimitWithTheEnginesDefault() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        for (RecordComponent component : ChatLimits.class.getRecordComponents()) {
            expected.put(
                    ChatLimitsBinding.key(component.getName()),
                    String.valueOf(component.getAccessor().invoke(ChatLimits.DEFAULTS)));
        }
        assertThat(limitKeysInMetadata()).isEqualTo(expected);
    }

    @Test
    void everyKeyReachesItsLimit() {
        ChatLimits.Builder changed = ChatLimits.DEFAULTS.toBuilder();
        String[] properties = new String[ChatLimits.class.getRecordComponents().length];
        int i = 0;
        for (RecordComponent component : ChatLimits.class.getRecordComponents()) {
            // every limit one above its default keeps the cross checks (burst >= rate) true
            int value = valueOf(component, ChatLimits.DEFAULTS) + 1;
            properties[i++] = ChatLimitsBinding.key(component.getName()) + "=" + value;
            set(changed, component, value);
        }
        ChatLimits expected = changed.build();
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ChatLimits.class)).isEqualTo(expected).isNotEqualTo(ChatLimits.DEFAULTS);
        });
    }

    @Test
    void aRefusalAcrossLimitsNamesTheGroup() {
        runner.withPropertyValues("fatechat.limits.messages-per-second=50", "fatechat.limits.message-burst=20")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("fatechat.limits")
                        .hasMessageContaining("messageBurst"));
    }

    @Test
    void keysAreKebabCase() {
        assertThat(ChatLimitsBinding.key("violationsBeforeDisconnect"))
                .isEqualTo("fatechat.limits.violations-before-disconnect");
    }

    private static int valueOf(RecordComponent component, ChatLimits limits) {
        try {
            return (Integer) component.getAccessor().invoke(limits);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void set(ChatLimits.Builder builder, RecordComponent component, int value) {
        try {
            ChatLimits.Builder.class.getMethod(component.getName(), int.class).invoke(builder, value);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> limitKeysInMetadata() throws IOException {
        Map<String, String> keys = new TreeMap<>();
        try (InputStream in =
                ChatLimitsBindingTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            for (JsonNode property : new ObjectMapper().readTree(in).get("properties")) {
                String name = property.get("name").asText();
                if (name.startsWith(ChatLimitsBinding.PREFIX + ".")) {
                    JsonNode value = property.get("defaultValue");
                    keys.put(name, value == null ? "(no default)" : value.asText());
                }
            }
        }
        return keys;
    }
}
