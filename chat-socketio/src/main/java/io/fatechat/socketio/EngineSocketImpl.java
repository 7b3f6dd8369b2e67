package io.fatechat.socketio;

import java.util.function.Consumer;

/** {@link EngineIoSocket} over one {@link EngineSession}. */
final class EngineSocketImpl implements EngineIoSocket, EngineListener {

    private final EngineSession conn;
    private volatile Consumer<String> textListener = t -> {};
    private volatile Consumer<byte[]> binaryListener = b -> {};
    private volatile Consumer<EngineIoCloseReason> closeListener = r -> {};

    EngineSocketImpl(EngineSession conn) {
        this.conn = conn;
    }

    /** The session behind this socket (for tests). */
    EngineSession session() {
        return conn;
    }

    @Override
    public String id() {
        return conn.id;
    }

    @Override
    public String transport() {
        return conn.transportName();
    }

    @Override
    public SocketIoHandshake handshake() {
        return conn.handshake;
    }

    @Override
    public EngineIoSocket onText(Consumer<String> listener) {
        this.textListener = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public EngineIoSocket onBinary(Consumer<byte[]> listener) {
        this.binaryListener = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public EngineIoSocket onClose(Consumer<EngineIoCloseReason> listener) {
        this.closeListener = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public void send(String text) {
        conn.send(Frame.message(text));
    }

    @Override
    public void send(byte[] data) {
        conn.send(Frame.binary(data.clone()));
    }

    @Override
    public void close() {
        conn.closeGracefully(EngineIoCloseReason.FORCED_CLOSE);
    }

    @Override
    public void onText(String message) {
        textListener.accept(message);
    }

    @Override
    public void onBinary(byte[] data) {
        binaryListener.accept(data);
    }

    @Override
    public void closing(EngineIoCloseReason reason) {
        conn.core.metrics.connectionClosed(DisconnectReason.of(reason));
    }

    @Override
    public void onClose(EngineIoCloseReason reason) {
        closeListener.accept(reason);
    }
}
