package io.fatechat.socketio;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A Socket.IO v5 server (over Engine.IO v4). Create it, add namespaces and handlers, then deploy it into a
 * container with {@link SocketIoDeployment#register}. Thread-safe.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.create(SocketIoConfig.builder().allowedOrigins("https://chat.example").build());
 * io.namespace("/").use(handshake -> verify(handshake.authField("token")));
 * io.onConnection(socket -> {
 *     socket.join("lobby");
 *     socket.on("say", (args, ack) -> { io.to("lobby").emit("said", args.get(0)); ack.send(Map.of("ok", true)); });
 * });
 * }</pre>
 */
public final class SocketIoServer implements AutoCloseable {

    private final SocketIoConfig config;

    private SocketIoServer(SocketIoConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A server with {@code config}; it owns its worker pool and timer until {@link #close()}. */
    public static SocketIoServer create(SocketIoConfig config) {
        return new SocketIoServer(config);
    }

    public SocketIoConfig config() {
        return config;
    }

    /** The namespace {@code name} ({@code /} is the default one), created on first use. */
    public SocketIoNamespace namespace(String name) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Connection handler of the default namespace {@code /}. */
    public SocketIoServer onConnection(Consumer<SocketIoSocket> handler) {
        namespace("/").onConnection(handler);
        return this;
    }

    /** A broadcast to {@code room} of the default namespace. */
    public BroadcastOperator to(String room) {
        return namespace("/").to(room);
    }

    /** Sends {@code event} to every socket of the default namespace; returns the recipient count. */
    public int emit(String event, Object... args) {
        return namespace("/").emit(event, args);
    }

    /** Open Engine.IO connections. */
    public int connectionCount() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Disconnects every client ({@link DisconnectReason#SERVER_SHUTTING_DOWN}) and stops the worker pool. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
