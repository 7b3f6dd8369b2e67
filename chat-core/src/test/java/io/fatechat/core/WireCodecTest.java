package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.core.internal.BusEvent;
import io.fatechat.core.internal.WireCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {

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
    void unknownEventTypesAreSkipped() {
        assertThat(WireCodec.decodeEvent("{\"type\":\"reaction\",\"room\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }

    @Test
    void malformedPayloadsAreRefused() {
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
