package io.fatechat.socketio;

/**
 * Why an Engine.IO session ended (the Engine.IO layer's reasons); {@link #wireName()} is the reason string the
 * Node.js engine.io server uses. The Socket.IO layer reports them to sockets as {@link DisconnectReason}s.
 */
public enum EngineIoCloseReason {
    /** The client closed the session (close packet or WebSocket close). */
    TRANSPORT_CLOSE("transport close"),
    /** The transport failed (I/O error, aborted request). */
    TRANSPORT_ERROR("transport error"),
    /** No pong within the ping timeout. */
    PING_TIMEOUT("ping timeout"),
    /** The client sent something the protocol does not allow, or more than maxPayload. */
    PARSE_ERROR("parse error"),
    /** The client sent faster than its packets could be handled. */
    FLOOD("flood"),
    /** The outbound queue of the session was full. */
    SLOW_CONSUMER("slow consumer"),
    /** The server closed the session. */
    FORCED_CLOSE("forced close"),
    /** The server is shutting down. */
    SERVER_SHUTTING_DOWN("server shutting down");

    private final String wireName;

    EngineIoCloseReason(String wireName) {
        this.wireName = wireName;
    }

    /** The reason as the Node.js server names it. */
    public String wireName() {
        return wireName;
    }
}
