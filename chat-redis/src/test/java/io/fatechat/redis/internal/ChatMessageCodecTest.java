package io.fatechat.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChatMessageCodecTest {

    @Test
    void roundTripsEveryField() {
        ChatMessage room = new ChatMessage(
                "0190c5a2-7b1c-7000-8000-000000000001",
                ConversationId.room("lobby"),
                "alice@example.com",
                "héllo 👋 \"quoted\"\n\\ <b>",
                true,
                Instant.parse("2026-11-27T18:00:00.123456789Z"),
                "client-1");
        ChatMessage direct = new ChatMessage(
                "id-2", ConversationId.direct("b@x.io", "a@x.io"), "a@x.io", "", false, Instant.ofEpochMilli(0), null);

        assertThat(ChatMessageCodec.decode(ChatMessageCodec.encode(room))).isEqualTo(room);
        assertThat(ChatMessageCodec.decode(ChatMessageCodec.encode(direct))).isEqualTo(direct);
        assertThat(ChatMessageCodec.encode(direct)).doesNotContain("clientId");
    }

    @Test
    void ignoresUnknownFieldsAndRejectsIncompleteOnes() {
        String json = "{\"id\":\"x\",\"future\":{\"a\":[1,2]},\"conv\":\"r:a\",\"sender\":\"s\",\"text\":\"t\","
                + "\"event\":false,\"createdAt\":\"2026-01-01T00:00:00Z\"}";

        assertThat(ChatMessageCodec.decode(json).id()).isEqualTo("x");
        assertThatThrownBy(() -> ChatMessageCodec.decode("{\"id\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChatMessageCodec.decode("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChatMessageCodec.decode("[]")).isInstanceOf(IllegalArgumentException.class);
    }
}
