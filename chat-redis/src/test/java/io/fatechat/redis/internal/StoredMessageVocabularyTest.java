package io.fatechat.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fatechat.core.internal.WireCodec;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cache's codec and chat-core's bus codec keep one vocabulary for a stored message (docs/architecture.md):
 * the same JSON for every message, each reading what the other wrote. chat-core is only a test dependency here.
 */
class StoredMessageVocabularyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<ChatMessage> messages() {
        return List.of(
                new ChatMessage(
                        "0190c5a2-7b1c-7000-8000-000000000001",
                        ConversationId.room("lobby"),
                        "alice@example.com",
                        "hello",
                        false,
                        Instant.parse("2026-11-27T18:00:00.123Z"),
                        "client-1"),
                new ChatMessage(
                        "0190c5a2-7b1c-7000-8000-000000000002",
                        ConversationId.room("Général ✨"),
                        "bob@example.com",
                        "héllo 👋 \"quoted\"\n\\ <b>\u0000\u2028",
                        false,
                        Instant.parse("2026-11-27T18:00:00.123456789Z"),
                        null),
                new ChatMessage(
                        "0190c5a2-7b1c-7000-8000-000000000003",
                        ConversationId.room("lobby"),
                        "alice@example.com",
                        "alice@example.com joined the room",
                        true,
                        Instant.ofEpochMilli(0),
                        null),
                new ChatMessage(
                        "0190c5a2-7b1c-7000-8000-000000000004",
                        ConversationId.direct("b@x.io", "a@x.io"),
                        "a@x.io",
                        "note",
                        false,
                        Instant.parse("2026-01-01T00:00:00Z"),
                        "c:\u00e9/+="),
                new ChatMessage(
                        "0190c5a2-7b1c-7000-8000-000000000005",
                        ConversationId.direct("a@x.io", "a@x.io"),
                        "a@x.io",
                        "x".repeat(2000),
                        false,
                        Instant.parse("1999-12-31T23:59:59.999Z"),
                        ""));
    }

    /**
     * The same JSON: field names, values, order. Only how a character may be written differs (the bus writes
     * bytes, where Jackson escapes a character outside the BMP as a surrogate pair; the cache writes text).
     */
    @ParameterizedTest
    @MethodSource("messages")
    void bothCodecsWriteTheSameJson(ChatMessage message) throws Exception {
        JsonNode bus = JSON.readTree(WireCodec.encodeMessage(message));
        JsonNode cache = JSON.readTree(ChatMessageCodec.encode(message));

        assertThat(cache).isEqualTo(bus);
        assertThat(fieldNames(cache))
                .containsExactlyElementsOf(fieldNames(bus))
                .startsWith("v", "id", "conversation", "sender", "text", "event", "createdAt");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @ParameterizedTest
    @MethodSource("messages")
    void eachReadsWhatTheOtherWrote(ChatMessage message) {
        assertThat(ChatMessageCodec.decode(new String(WireCodec.encodeMessage(message), StandardCharsets.UTF_8)))
                .isEqualTo(message);
        assertThat(WireCodec.decodeMessage(ChatMessageCodec.encode(message).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(message);
    }

    @ParameterizedTest
    @MethodSource("messages")
    void theCacheStillReadsEntriesWrittenBeforeTheVocabularyWasShared(ChatMessage message) {
        String legacy = ChatMessageCodec.encode(message)
                .replace("{\"v\":1,", "{")
                .replaceFirst("\"conversation\":", "\"conv\":");

        assertThat(legacy).startsWith("{\"id\":").contains("\"conv\":");
        assertThat(ChatMessageCodec.decode(legacy)).isEqualTo(message);
    }
}
