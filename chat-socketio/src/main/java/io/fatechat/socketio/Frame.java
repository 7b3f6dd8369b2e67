package io.fatechat.socketio;

import java.util.Base64;

/**
 * One encoded Engine.IO packet, immutable and shared: a broadcast queues the same instance for every recipient.
 * Text packets carry their type digit ({@code "4hello"}); binary ones are raw bytes, base64-encoded once (with
 * the {@code b} prefix) if a polling client needs them.
 */
final class Frame {

    static final Frame PING = of(EnginePacketType.PING, "");
    static final Frame NOOP = of(EnginePacketType.NOOP, "");
    /** Queued by a graceful server close: polling clients receive {@code "1"}, WebSockets are closed there. */
    static final Frame CLOSE = of(EnginePacketType.CLOSE, "");

    final String text;
    final byte[] binary;
    private volatile String pollingBinary;

    private Frame(String text, byte[] binary) {
        this.text = text;
        this.binary = binary;
    }

    /** A text packet of {@code type} carrying {@code data}. */
    static Frame of(EnginePacketType type, String data) {
        return new Frame(type.code() + data, null);
    }

    /** A text MESSAGE packet. */
    static Frame message(String data) {
        return of(EnginePacketType.MESSAGE, data);
    }

    /** An already-encoded text packet (its type digit first). */
    static Frame text(String text) {
        return new Frame(text, null);
    }

    static Frame binary(byte[] data) {
        return new Frame(null, data);
    }

    boolean isBinary() {
        return binary != null;
    }

    /** Approximate size for the slow-consumer byte limit. */
    int size() {
        return text != null ? text.length() : binary.length;
    }

    /** This packet inside a polling payload. */
    String pollingSegment() {
        if (text != null) {
            return text;
        }
        String s = pollingBinary;
        if (s == null) {
            s = "b" + Base64.getEncoder().encodeToString(binary);
            pollingBinary = s;
        }
        return s;
    }
}
