package io.fatechat.socketio;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Engine.IO v4 server behind {@link EngineIoServer} and {@link SocketIoServer}: opens sessions into its
 * {@link SessionTable}, owns the worker pool, the heartbeat timer and the WebSocket closer threads, and applies
 * the {@link OriginPolicy}. The HTTP side is {@link EngineIoServlet}, the WebSocket side {@link WebSocketEndpoint}.
 */
final class EngineIoCore {

    private static final Logger log = LoggerFactory.getLogger(EngineIoCore.class);

    final EngineIoConfig config;
    final SocketIoMetrics metrics;
    final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor closer;
    private final SessionTable sessions = new SessionTable();
    private final Function<EngineSession, EngineListener> acceptor;
    private final OriginPolicy originPolicy;
    final ClientAddressResolver clientAddresses;
    private volatile boolean closed;

    EngineIoCore(EngineIoConfig config, String name, Function<EngineSession, EngineListener> acceptor) {
        this.config = config;
        this.metrics = config.metrics();
        this.acceptor = acceptor;
        this.originPolicy = new OriginPolicy(config.allowedOrigins());
        this.clientAddresses = ClientAddressResolver.of(config.trustedProxies());
        AtomicInteger n = new AtomicInteger();
        // the queue holds at most one drain task per connection (SerialExecutor), so it is bounded by them
        this.workers = new ThreadPoolExecutor(
                config.workerThreads(),
                config.workerThreads(),
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> daemon(r, name + "-worker-" + n.incrementAndGet()));
        this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name + "-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        // holds at most one task per closing connection
        this.closer = new ThreadPoolExecutor(
                2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> daemon(r, name + "-closer"));
        this.closer.allowCoreThreadTimeOut(true);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null;
        }
    }

    int connectionCount() {
        return sessions.size();
    }

    void remove(EngineSession connection) {
        sessions.remove(connection);
    }

    String newId() {
        return sessions.newId();
    }

    boolean closed() {
        return closed;
    }

    EngineSession session(String sid) {
        return sessions.get(sid);
    }

    /** Whether {@code clientAddress} may open one more session (checked before a WebSocket upgrade). */
    boolean mayOpen(String clientAddress) {
        return !sessions.full(clientAddress, config.maxConnectionsPerAddress());
    }

    /**
     * Opens a session of {@code clientAddress} on the transport {@code transport} creates for it, or returns null
     * when that address holds its maximum of sessions.
     */
    EngineSession open(
            SocketIoHandshake handshake, String clientAddress, Function<EngineSession, Transport> transport) {
        if (!sessions.reserve(clientAddress, config.maxConnectionsPerAddress())) {
            metrics.protocolError("too many connections");
            log.debug(
                    "Refusing an Engine.IO session of {}: it holds {} already",
                    clientAddress,
                    config.maxConnectionsPerAddress());
            return null;
        }
        EngineSession c = new EngineSession(this, newId(), handshake, clientAddress);
        Transport first = transport.apply(c);
        c.attach(first);
        sessions.add(c);
        c.listener(acceptor.apply(c));
        metrics.connectionOpened(first.name());
        if (closed) {
            c.close(EngineIoCloseReason.SERVER_SHUTTING_DOWN);
        }
        return c;
    }

    /** The handshake packet of session {@code sid}. */
    String handshakeJson(String sid, boolean polling) {
        return EngineParser.openPacket(
                sid,
                polling,
                config.pingInterval().toMillis(),
                config.pingTimeout().toMillis(),
                config.maxPayload());
    }

    void close() {
        closed = true;
        for (EngineSession c : sessions.snapshot()) {
            c.close(EngineIoCloseReason.SERVER_SHUTTING_DOWN);
        }
        timer.shutdownNow();
        workers.shutdown();
        closer.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
            if (!closer.awaitTermination(5, TimeUnit.SECONDS)) {
                closer.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            closer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Where {@code Session.close} runs: it blocks in Jakarta containers, so never on an I/O, worker or timer thread. */
    Executor closer() {
        return closer;
    }

    /** Whether a request with this {@code Origin} (may be null) and {@code Host} may open or use a session. */
    /** @see OriginPolicy#allows(String, String, String, int) */
    boolean originAllowed(String origin, String scheme, String serverName, int serverPort) {
        return originPolicy.allows(origin, scheme, serverName, serverPort);
    }
}
