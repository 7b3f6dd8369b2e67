package io.fatechat.socketio;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A plain Engine.IO v4 server without Socket.IO on top (the Engine.IO test suite talks to one). Deploy it with
 * {@link SocketIoDeployment#register(jakarta.servlet.ServletContext, EngineIoServer)}.
 */
public final class EngineIoServer implements AutoCloseable {

    private final EngineIoConfig config;
    private final List<Consumer<EngineIoSocket>> handlers = new CopyOnWriteArrayList<>();
    final EngineIoCore core;

    private EngineIoServer(EngineIoConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.core = new EngineIoCore(config, "engineio", conn -> {
            EngineSocketImpl socket = new EngineSocketImpl(conn);
            conn.inbox.execute(() -> handlers.forEach(h -> h.accept(socket)));
            return socket;
        });
    }

    /** A server with {@code config}. */
    public static EngineIoServer create(EngineIoConfig config) {
        return new EngineIoServer(config);
    }

    /** A server with the Engine.IO part of {@code config} (its path, timeouts, limits and origins). */
    public static EngineIoServer create(SocketIoConfig config) {
        return new EngineIoServer(config.engine());
    }

    public EngineIoConfig config() {
        return config;
    }

    /** Called for every new connection; attach listeners there. */
    public EngineIoServer onConnection(Consumer<EngineIoSocket> handler) {
        handlers.add(java.util.Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Closes every connection and stops the worker pool. */
    @Override
    public void close() {
        core.close();
    }
}
