package io.fatechat.socketio;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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
    final SocketIoMetrics metrics;
    final PacketCodec codec;
    final EngineIoCore core;
    private final ConcurrentHashMap<String, NamespaceImpl> namespaces = new ConcurrentHashMap<>();

    private SocketIoServer(SocketIoConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = config.metrics();
        this.codec = new PacketCodec(metrics, config.maxAttachments());
        this.namespaces.put("/", new NamespaceImpl("/", this));
        this.core = new EngineIoCore(config.engine(), "socketio", conn -> new SocketIoClient(this, conn));
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
        Objects.requireNonNull(name, "name");
        if (!name.startsWith("/") || name.indexOf(',') >= 0 || name.indexOf('?') >= 0) {
            throw new IllegalArgumentException(
                    "namespace must start with '/' and contain no ',' or '?', got '" + name + "'");
        }
        return namespaces.computeIfAbsent(name, n -> new NamespaceImpl(n, this));
    }

    /** Same as {@link #namespace(String)}, named as in the Node.js server ({@code io.of("/admin")}). */
    public SocketIoNamespace of(String name) {
        return namespace(name);
    }

    NamespaceImpl namespaceIfExists(String name) {
        return namespaces.get(name);
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
        return core.connectionCount();
    }

    /** Disconnects every client ({@link DisconnectReason#SERVER_SHUTTING_DOWN}) and stops the worker pool. */
    @Override
    public void close() {
        core.close();
    }
}
