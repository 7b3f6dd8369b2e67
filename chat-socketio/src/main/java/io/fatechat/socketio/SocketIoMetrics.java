package io.fatechat.socketio;

/**
 * Hook for metrics of the protocol layer (a Micrometer binding implements it). Methods are called on I/O and
 * worker threads, must be cheap and must not throw. Every method has an empty default.
 */
public interface SocketIoMetrics {

    /** Reports nothing. */
    SocketIoMetrics NOOP = new SocketIoMetrics() {};

    /** An Engine.IO connection opened on {@code transport} ({@code polling} or {@code websocket}). */
    default void connectionOpened(String transport) {}

    /** An Engine.IO connection closed, for {@code reason}. */
    default void connectionClosed(DisconnectReason reason) {}

    /** A polling connection upgraded to WebSocket. */
    default void connectionUpgraded() {}

    /** A connection was closed because its outbound queue was full. */
    default void slowConsumerDisconnected() {}

    /** A socket joined {@code namespace}. */
    default void socketConnected(String namespace) {}

    /** A socket left {@code namespace}. */
    default void socketDisconnected(String namespace) {}

    /** A CONNECT was refused (unknown namespace or authorizer). */
    default void connectRefused(String namespace) {}

    /** One Engine.IO packet arrived. */
    default void packetReceived() {}

    /** One Socket.IO or Engine.IO packet was encoded; a broadcast encodes once for all its recipients. */
    default void packetEncoded() {}

    /** A broadcast queued one encoded packet for {@code recipients} connections. */
    default void broadcast(int recipients) {}

    /** A client broke the protocol ({@code kind} says how); the connection was closed or the packet ignored. */
    default void protocolError(String kind) {}
}
