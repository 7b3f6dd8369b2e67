package io.fatechat.socketio;

import java.util.function.Consumer;

/**
 * A plain Engine.IO v4 server without Socket.IO on top (the Engine.IO test suite talks to one). Deploy it with
 * {@link SocketIoDeployment#register(jakarta.servlet.ServletContext, EngineIoServer)}.
 */
public final class EngineIoServer implements AutoCloseable {

    private final SocketIoConfig config;

    private EngineIoServer(SocketIoConfig config) {
        this.config = config;
    }

    /** A server with {@code config} (its path, timeouts, limits and origins; the connect timeout is unused). */
    public static EngineIoServer create(SocketIoConfig config) {
        return new EngineIoServer(config);
    }

    public SocketIoConfig config() {
        return config;
    }

    /** Called for every new connection; attach listeners there. */
    public EngineIoServer onConnection(Consumer<EngineIoSocket> handler) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Closes every connection and stops the worker pool. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
