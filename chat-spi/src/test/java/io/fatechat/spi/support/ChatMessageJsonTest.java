package io.fatechat.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChatMessageJsonTest {

    private static final ChatMessage ROOM = new ChatMessage(
            "0190f1c2-0000-7000-8000-000000000001",
            ConversationId.room("Caf\u00e9 \"x\""),
            "a@x.io",
            "multi\nline \uD83D\uDE00 \u0000 \\ <b>",
            true,
            Instant.parse("2026-11-27T18:00:00.123456789Z"),
            "c-1");
    private static final ChatMessage DIRECT = new ChatMessage(
            "0190f1c2-0000-7000-8000-000000000002",
            ConversationId.direct("b@x.io", "a@x.io"),
            "b@x.io",
            "",
            false,
            Instant.ofEpochMilli(0),
            null);

    @Test
    void messagesRoundTripAsBytesAndAsText() {
        assertThat(ChatMessageJson.decode(ChatMessageJson.encode(ROOM))).isEqualTo(ROOM);
        assertThat(ChatMessageJson.decode(ChatMessageJson.encode(DIRECT))).isEqualTo(DIRECT);
        assertThat(ChatMessageJson.decode(ChatMessageJson.encodeToString(ROOM))).isEqualTo(ROOM);
        assertThat(ChatMessageJson.encodeToString(DIRECT)).doesNotContain("clientId");
    }

    @Test
    void theVocabularyIsTheDocumentedOne() {
        assertThat(ChatMessageJson.encodeToString(DIRECT))
                .isEqualTo("{\"v\":1,\"id\":\"0190f1c2-0000-7000-8000-000000000002\",\"conversation\":\""
                        + DIRECT.conversation().key()
                        + "\",\"sender\":\"b@x.io\",\"text\":\"\",\"event\":false,"
                        + "\"createdAt\":\"1970-01-01T00:00:00Z\"}");
    }

    @Test
    void unknownFieldsAreSkippedAndTheEarlyCacheNameOfTheConversationIsRead() {
        String newer = "{\"v\":2,\"id\":\"i\",\"conversation\":\"r:x\",\"sender\":\"a@x.io\",\"text\":\"t\","
                + "\"reactions\":{\"+1\":[1,2]},\"event\":false,\"createdAt\":\"2026-01-01T00:00:00Z\"}";
        String early = "{\"id\":\"x\",\"conv\":\"r:a\",\"sender\":\"s\",\"text\":\"t\","
                + "\"event\":false,\"createdAt\":\"2026-01-01T00:00:00Z\"}";

        assertThat(ChatMessageJson.decode(newer.getBytes(StandardCharsets.UTF_8))
                        .text())
                .isEqualTo("t");
        assertThat(ChatMessageJson.decode(early).conversation()).isEqualTo(ConversationId.room("a"));
    }

    @Test
    void malformedPayloadsAreRefused() {
        for (String bad : new String[] {
            "",
            "not json",
            "[]",
            "{\"id\":\"i\"}",
            "{\"id\":\"i\",\"conversation\":\"x:y\",\"sender\":\"a\",\"text\":\"t\",\"createdAt\":\"2026-01-01T00:00:00Z\"}",
            "{\"id\":\"i\",\"conversation\":\"r:y\",\"sender\":\"a\",\"text\":\"t\",\"createdAt\":\"yesterday\"}"
        }) {
            assertThatThrownBy(() -> ChatMessageJson.decode(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ChatMessageJson.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
