package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.core.internal.BusEvent;
import io.fatechat.core.internal.WireCodec;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {

    @Test
    void messagesRoundTrip() {
        ChatMessage room = new ChatMessage(
                "0190f1c2-0000-7000-8000-000000000001",
                ConversationId.room("Caf\u00e9 \"x\""),
                "a@x.io",
                "multi\nline \uD83D\uDE00 \u0000",
                true,
                Instant.parse("2026-01-02T03:04:05.678Z"),
                "c-1");
        ChatMessage direct = new ChatMessage(
                "0190f1c2-0000-7000-8000-000000000002",
                ConversationId.direct("b@x.io", "a@x.io"),
                "b@x.io",
                "hi",
                false,
                Instant.parse("2026-01-02T03:04:05Z"),
                null);

        assertThat(WireCodec.decodeMessage(WireCodec.encodeMessage(room))).isEqualTo(room);
        assertThat(WireCodec.decodeMessage(WireCodec.encodeMessage(direct))).isEqualTo(direct);
    }

    @Test
    void eventsRoundTrip() {
        BusEvent presence = new BusEvent.Presence("General", List.of("a@x.io", "b@x.io"));
        BusEvent empty = new BusEvent.Presence("General", List.of());
        BusEvent typing = new BusEvent.Typing("General", "a@x.io", "n1:abc:1");
        BusEvent read = new BusEvent.ConversationRead("d:a@x.io b@x.io", "a@x.io", "0190-id", 3);
        BusEvent recorded = new BusEvent.ConversationRecorded("r:General");
        BusEvent joined = new BusEvent.ConversationMembership("r:General", "a@x.io", true);
        BusEvent left = new BusEvent.ConversationMembership("r:General", "a@x.io", false);
        for (BusEvent event : List.of(presence, empty, typing, read, recorded, joined, left)) {
            assertThat(WireCodec.decodeEvent(WireCodec.encodeEvent(event))).isEqualTo(event);
        }
    }

    @Test
    void unknownFieldsAreIgnoredAndUnknownEventTypesSkipped() {
        byte[] newer = ("{\"v\":2,\"id\":\"i\",\"conversation\":\"r:x\",\"sender\":\"a@x.io\",\"text\":\"t\","
                        + "\"reactions\":{\"+1\":[1,2]},\"event\":false,\"createdAt\":\"2026-01-01T00:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(WireCodec.decodeMessage(newer).text()).isEqualTo("t");
        assertThat(WireCodec.decodeEvent("{\"type\":\"reaction\",\"room\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isNull();
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
            assertThatThrownBy(() -> WireCodec.decodeMessage(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad : new String[] {
            "{}",
            "{\"type\":\"presence\",\"room\":\"x\"}",
            "{\"type\":\"typing\",\"room\":\"x\"}",
            "{\"type\":\"presence\",\"room\":\"x\",\"users\":\"a\"}",
            "{\"type\":\"read\",\"room\":\"x\"}",
            "{\"type\":\"read\",\"room\":\"x\",\"user\":\"a\",\"messageId\":\"m\",\"unread\":\"3\"}",
            "{\"type\":\"member\",\"room\":\"x\",\"user\":\"a\"}"
        }) {
            assertThatThrownBy(() -> WireCodec.decodeEvent(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
