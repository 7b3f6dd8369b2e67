package io.fatechat.socketio;

/** The Engine.IO v4 packet types, each sent as its digit in front of the packet's data. */
enum EnginePacketType {
    /** Server to client: the handshake, {@code 0{"sid":...}}. */
    OPEN('0'),
    /** Either side ends the session. */
    CLOSE('1'),
    /** Server heartbeat; a client's {@code 2probe} starts an upgrade. */
    PING('2'),
    /** Answer to a ping; {@code 3probe} answers a probe. */
    PONG('3'),
    /** Application data (a Socket.IO packet). */
    MESSAGE('4'),
    /** The client switches to the probed transport. */
    UPGRADE('5'),
    /** Nothing; ends a poll during an upgrade. */
    NOOP('6');

    private static final EnginePacketType[] BY_CODE = new EnginePacketType[7];

    static {
        for (EnginePacketType t : values()) {
            BY_CODE[t.code - '0'] = t;
        }
    }

    private final char code;

    EnginePacketType(char code) {
        this.code = code;
    }

    /** The digit that starts the packet. */
    char code() {
        return code;
    }

    /** The type whose digit is {@code code}, or {@code null} for anything else. */
    static EnginePacketType of(char code) {
        int i = code - '0';
        return i >= 0 && i < BY_CODE.length ? BY_CODE[i] : null;
    }
}
