package io.fatechat.socketio;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
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
 * the {@link OriginPolicy}. The HTTP side is {@link PollingServlet}, the WebSocket side {@link WebSocketEndpoint}.
 */
final class EngineIoCore {

    private static final Logger log = LoggerFactory.getLogger(EngineIoCore.class);
    private static final long CLOSE_GRACE_MS = 1000;
    /** The largest container message buffer per WebSocket (characters or bytes): a chat packet fits in one. */
    static final int WS_MESSAGE_BUFFER = 1024;

    final SocketIoConfig config;
    final SocketIoMetrics metrics;
    final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor closer;
    private final SessionTable sessions = new SessionTable();
    private final Function<EngineConnection, EngineListener> acceptor;
    private final OriginPolicy originPolicy;
    private volatile boolean closed;

    EngineIoCore(SocketIoConfig config, String name, Function<EngineConnection, EngineListener> acceptor) {
        this.config = config;
        this.metrics = config.metrics();
        this.acceptor = acceptor;
        this.originPolicy = new OriginPolicy(config.allowedOrigins());
        AtomicInteger n = new AtomicInteger();
        // the queue holds at most one drain task per connection (SerialExecutor), so it is bounded by them
        this.workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, name + "-worker-" + n.incrementAndGet()));
        this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name + "-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        // holds at most one task per closing connection
        this.closer = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, name + "-closer"));
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

    void remove(EngineConnection connection) {
        sessions.remove(connection);
    }

    String newId() {
        return sessions.newId();
    }

    boolean closed() {
        return closed;
    }

    EngineConnection session(String sid) {
        return sessions.get(sid);
    }

    /** Opens a session on polling ({@code webSocket} null) or directly on a WebSocket. */
    EngineConnection open(SocketIoHandshake handshake, Session webSocket) {
        EngineConnection c = new EngineConnection(this, newId(), handshake, webSocket);
        sessions.add(c);
        c.listener(acceptor.apply(c));
        metrics.connectionOpened(webSocket != null ? "websocket" : "polling");
        if (closed) {
            c.close(DisconnectReason.SERVER_SHUTTING_DOWN);
        }
        return c;
    }

    /** The handshake packet of session {@code sid}. */
    String handshakeJson(String sid, boolean polling) {
        return EngineParser.openPacket(sid, polling, config.pingInterval().toMillis(), config.pingTimeout().toMillis(),
                config.maxPayload());
    }

    void close() {
        closed = true;
        for (EngineConnection c : sessions.snapshot()) {
            c.close(DisconnectReason.SERVER_SHUTTING_DOWN);
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

    /**
     * Starts the WebSocket close handshake. Some stock clients (the Java client on OkHttp) never answer a
     * server's close frame, so the idle timeout is shortened first: the container then drops the TCP
     * connection after {@link #CLOSE_GRACE_MS} and the client notices.
     */
    void closeWebSocket(Session session, CloseReason.CloseCode code, String reason) {
        // Session.close blocks until the close frame is written (behind a slow consumer's backlog, say), so it
        // runs on the closer threads, never on an I/O, worker or timer thread
        try {
            closer.execute(() -> closeNow(session, code, reason));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closeNow(session, code, reason);
        }
    }

    private static void closeNow(Session session, CloseReason.CloseCode code, String reason) {
        try {
            if (session.isOpen()) {
                session.setMaxIdleTimeout(CLOSE_GRACE_MS);
                session.close(new CloseReason(code, reason));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Closing a WebSocket failed", e);
        }
    }

    // ---------------------------------------------------------------- WebSocket

    /** A WebSocket was opened; returns the connection it belongs to, or null after closing it. */
    EngineConnection onWebSocketOpen(Session session, WebSocketHandshake hs) {
        if (!hs.originAllowed()) {
            metrics.protocolError("origin not allowed");
            log.debug("Refusing WebSocket from {}: origin not allowed", hs.handshake().remoteAddress());
            closeWebSocket(session, CloseReason.CloseCodes.VIOLATED_POLICY, "origin not allowed");
            return null;
        }
        if (!"4".equals(hs.handshake().queryParam("EIO")) || !"websocket".equals(hs.handshake().queryParam("transport"))) {
            closeWebSocket(session, CloseReason.CloseCodes.PROTOCOL_ERROR, "bad request");
            return null;
        }
        // Tomcat allocates message buffers of these sizes per socket, up front: sized to maxPayload (1 MB by
        // default) they cost megabytes per connection. WebSocketEndpoint takes messages in parts and assembles
        // the rare larger one up to maxPayload, in a buffer that lives only while that message arrives.
        // Only ever shrunk: a container configured smaller keeps its size.
        int buffer = Math.min(config.maxPayload(), WS_MESSAGE_BUFFER);
        session.setMaxTextMessageBufferSize(Math.min(buffer, session.getMaxTextMessageBufferSize()));
        session.setMaxBinaryMessageBufferSize(Math.min(buffer, session.getMaxBinaryMessageBufferSize()));
        session.setMaxIdleTimeout(config.pingInterval().toMillis() + config.pingTimeout().toMillis() + 10_000);
        String sid = hs.handshake().queryParam("sid");
        if (sid != null) {
            EngineConnection c = sessions.get(sid);
            if (c == null || !c.acceptProbe(session)) {
                closeWebSocket(session, CloseReason.CloseCodes.PROTOCOL_ERROR, "bad upgrade");
                return null;
            }
            return c;
        }
        if (closed) {
            closeWebSocket(session, CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
            return null;
        }
        EngineConnection c = open(hs.handshake(), session);
        c.send(Frame.text(handshakeJson(c.id, false)));
        c.start();
        return c;
    }

    /** Whether a request with this {@code Origin} (may be null) and {@code Host} may open or use a session. */
    boolean originAllowed(String origin, String host) {
        return originPolicy.allows(origin, host);
    }
}
