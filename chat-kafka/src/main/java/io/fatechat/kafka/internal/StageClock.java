package io.fatechat.kafka.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The publish time a record carries while stage timing is on, so a consuming node can time its transit.
 * Wall-clock microseconds, since the nodes are separate processes; meaningful when they share a clock (one
 * machine, or NTP-synchronized hosts, where it is good to about a millisecond).
 */
final class StageClock {

    /** The record header holding the publish time (8 bytes, epoch microseconds). */
    static final String HEADER = "fatechat-published-us";

    private StageClock() {}

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    static void stamp(Headers headers, long micros) {
        headers.add(HEADER, ByteBuffer.allocate(Long.BYTES).putLong(micros).array());
    }

    /** The publish time in the headers, or -1 when absent or malformed. */
    static long publishedMicros(Headers headers) {
        Header h = headers.lastHeader(HEADER);
        return h == null || h.value() == null || h.value().length != Long.BYTES
                ? -1
                : ByteBuffer.wrap(h.value()).getLong();
    }
}
