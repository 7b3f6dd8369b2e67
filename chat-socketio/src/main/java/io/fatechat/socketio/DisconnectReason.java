package io.fatechat.socketio;

/**
 * Why a socket ended (the Socket.IO layer's reasons): its own ({@link #CLIENT_NAMESPACE_DISCONNECT},
 * {@link #SERVER_NAMESPACE_DISCONNECT}, {@link #CONNECT_TIMEOUT}) or the {@link EngineIoCloseReason} of the
 * Engine.IO session underneath ({@link #of}). {@link #wireName()} is the reason string the Node.js server uses.
 */
public enum DisconnectReason {
    /** The client disconnected the namespace (DISCONNECT packet). */
    CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect"),
    /** The server called {@link SocketIoSocket#disconnect(boolean)}. */
    SERVER_NAMESPACE_DISCONNECT("server namespace disconnect"),
    /** The client closed the connection (close packet or WebSocket close). */
    TRANSPORT_CLOSE("transport close"),
    /** The transport failed (I/O error, aborted request). */
    TRANSPORT_ERROR("transport error"),
    /** No pong within the ping timeout. */
    PING_TIMEOUT("ping timeout"),
    /** The client sent something the protocol does not allow, or more than maxPayload. */
    PARSE_ERROR("parse error"),
    /** The client sent faster than its packets could be handled. */
    FLOOD("flood"),
    /** The outbound queue of the connection was full. */
    SLOW_CONSUMER("slow consumer"),
    /** No namespace was joined within the connect timeout. */
    CONNECT_TIMEOUT("connect timeout"),
    /** The server closed the connection ({@link SocketIoSocket#disconnect(boolean) disconnect(true)}). */
    FORCED_CLOSE("forced close"),
    /** The server is shutting down. */
    SERVER_SHUTTING_DOWN("server shutting down");

    private final String wireName;

    DisconnectReason(String wireName) {
        this.wireName = wireName;
    }

    /** The reason a socket sees when its Engine.IO session closed for {@code reason}. */
    public static DisconnectReason of(EngineIoCloseReason reason) {
        switch (reason) {
            case TRANSPORT_CLOSE:
                return TRANSPORT_CLOSE;
            case TRANSPORT_ERROR:
                return TRANSPORT_ERROR;
            case PING_TIMEOUT:
                return PING_TIMEOUT;
            case PARSE_ERROR:
                return PARSE_ERROR;
            case FLOOD:
                return FLOOD;
            case SLOW_CONSUMER:
                return SLOW_CONSUMER;
            case SERVER_SHUTTING_DOWN:
                return SERVER_SHUTTING_DOWN;
            default:
                return FORCED_CLOSE;
        }
    }

    /** The reason as the Node.js server names it. */
    public String wireName() {
        return wireName;
    }
}
