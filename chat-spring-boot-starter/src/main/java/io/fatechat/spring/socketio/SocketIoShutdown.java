package io.fatechat.spring.socketio;

import io.fatechat.socketio.SocketIoServer;
import io.fatechat.ws.ChatSocketIoBinding;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the Socket.IO server at the start of a graceful shutdown: every client is told the server is shutting down
 * (and reconnects to another node) before the web server starts waiting for in-flight requests, which an open
 * WebSocket or a held long-poll would otherwise keep busy until the shutdown timeout. The phase is above Spring
 * Boot's graceful web server shutdown ({@code SmartLifecycle.DEFAULT_PHASE - 1024} on Boot 3.5 and 4.0), so it
 * stops first.
 */
public class SocketIoShutdown implements SmartLifecycle {

    /** Stops before Boot's graceful shutdown of the web server. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final SocketIoServer server;
    private final ChatSocketIoBinding binding;
    private volatile boolean running;

    public SocketIoShutdown(SocketIoServer server, ChatSocketIoBinding binding) {
        this.server = server;
        this.binding = binding;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        binding.close();
        server.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
