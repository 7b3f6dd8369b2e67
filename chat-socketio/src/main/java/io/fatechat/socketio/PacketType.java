package io.fatechat.socketio;

/** The Socket.IO v5 packet types, each sent as its digit at the start of the packet. */
enum PacketType {
    CONNECT,
    DISCONNECT,
    EVENT,
    ACK,
    CONNECT_ERROR,
    BINARY_EVENT,
    BINARY_ACK;

    private static final PacketType[] VALUES = values();

    /** The digit on the wire. */
    char code() {
        return (char) ('0' + ordinal());
    }

    /** Whether binary attachments follow the packet. */
    boolean binary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }

    /** The type whose digit is {@code code}, or {@code null}. */
    static PacketType of(char code) {
        int i = code - '0';
        return i >= 0 && i < VALUES.length ? VALUES[i] : null;
    }
}
