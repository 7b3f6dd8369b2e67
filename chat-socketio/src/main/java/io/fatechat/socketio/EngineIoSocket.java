package io.fatechat.socketio;

import java.util.function.Consumer;

/**
 * A plain Engine.IO connection (no Socket.IO on top), for {@link EngineIoServer}. Thread-safe; listeners run on
 * the worker pool in arrival order.
 */
public interface EngineIoSocket {

    /** The Engine.IO session id. */
    String id();

    /** {@code polling} or {@code websocket}, at the moment of the call. */
    String transport();

    /** Headers, query and remote address of the first request (auth is empty). */
    SocketIoHandshake handshake();

    /** Receives text messages. */
    EngineIoSocket onText(Consumer<String> listener);

    /** Receives binary messages. */
    EngineIoSocket onBinary(Consumer<byte[]> listener);

    /** Called once when the connection closes. */
    EngineIoSocket onClose(Consumer<EngineIoCloseReason> listener);

    /** Queues a text message. */
    void send(String text);

    /** Queues a binary message. */
    void send(byte[] data);

    /** Closes the connection. */
    void close();
}
