package io.fatechat.spi;

import java.util.Objects;

/**
 * One record on the message bus. The bus treats the payload as opaque bytes; the engine encodes and decodes it.
 *
 * @param topic which stream
 * @param key the ordering key: records with equal keys are delivered in publish order (a conversation key)
 * @param payload the encoded record; callers must not modify the array after publishing
 */
public record BusRecord(BusTopic topic, String key, byte[] payload) {

    public BusRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payload, "payload");
    }
}
