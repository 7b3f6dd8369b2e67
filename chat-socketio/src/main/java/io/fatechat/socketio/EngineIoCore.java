package io.fatechat.socketio;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * The Engine.IO v4 server behind {@link EngineIoServer} and {@link SocketIoServer}: session table, handshake,
 * request routing for both transports, Origin/CORS, the worker pool and the heartbeat timer.
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
    private final Map<String, EngineConnection> sessions = new ConcurrentHashMap<>();
    private final Function<EngineConnection, EngineListener> acceptor;
    /**
     * A DRBG of its own rather than the platform default: on Linux that is NativePRNG, whose every call takes one
     * lock shared by the whole JVM, which the profile showed handshakes queueing on.
     */
    private final SecureRandom random = newRandom();
    private final Set<String> allowedOrigins;
    private final boolean anyOrigin;
    private volatile boolean closed;

    EngineIoCore(SocketIoConfig config, String name, Function<EngineConnection, EngineListener> acceptor) {
        this.config = config;
        this.metrics = config.metrics();
        this.acceptor = acceptor;
        this.allowedOrigins = config.allowedOrigins();
        this.anyOrigin = allowedOrigins.contains(SocketIoConfig.ANY_ORIGIN);
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

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
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
        sessions.remove(connection.id, connection);
    }

    String newId() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private EngineConnection open(SocketIoHandshake handshake, Session webSocket) {
        EngineConnection c = new EngineConnection(this, newId(), handshake, webSocket);
        sessions.put(c.id, c);
        c.listener(acceptor.apply(c));
        metrics.connectionOpened(webSocket != null ? "websocket" : "polling");
        if (closed) {
            c.close(DisconnectReason.SERVER_SHUTTING_DOWN);
        }
        return c;
    }

    private String handshakeJson(String sid, boolean polling) {
        return "0{\"sid\":\"" + sid + "\",\"upgrades\":" + (polling ? "[\"websocket\"]" : "[]") + ",\"pingInterval\":"
                + config.pingInterval().toMillis() + ",\"pingTimeout\":" + config.pingTimeout().toMillis()
                + ",\"maxPayload\":" + config.maxPayload() + "}";
    }

    void close() {
        closed = true;
        for (EngineConnection c : List.copyOf(sessions.values())) {
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

    // ---------------------------------------------------------------- HTTP long-polling

    void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String origin = req.getHeader("Origin");
        if (!originAllowed(origin, req.getHeader("Host"))) {
            metrics.protocolError("origin not allowed");
            log.debug("Refusing Engine.IO request from {}: origin {} not allowed", req.getRemoteAddr(), origin);
            writeError(resp, 403, 4, "Forbidden");
            return;
        }
        if (origin != null) {
            resp.setHeader("Access-Control-Allow-Origin", origin);
            resp.setHeader("Access-Control-Allow-Credentials", "true");
            resp.addHeader("Vary", "Origin");
        }
        String method = req.getMethod();
        if ("OPTIONS".equals(method)) {
            resp.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            String headers = req.getHeader("Access-Control-Request-Headers");
            if (headers != null) {
                resp.setHeader("Access-Control-Allow-Headers", headers);
            }
            resp.setHeader("Access-Control-Max-Age", "86400");
            resp.setStatus(204);
            return;
        }
        Map<String, List<String>> query = parseQuery(req.getQueryString());
        if (!"4".equals(first(query, "EIO"))) {
            writeError(resp, 400, 5, "Unsupported protocol version");
            return;
        }
        String transport = first(query, "transport");
        if (!"polling".equals(transport)) {
            writeError(resp, 400, 0, "Transport unknown");
            return;
        }
        boolean get = "GET".equals(method);
        if (!get && !"POST".equals(method)) {
            writeError(resp, 400, 2, "Bad handshake method");
            return;
        }
        String sid = first(query, "sid");
        if (sid == null) {
            if (!get) {
                writeError(resp, 400, 2, "Bad handshake method");
                return;
            }
            if (closed) {
                writeError(resp, 503, 4, "Server shutting down");
                return;
            }
            EngineConnection c = open(handshake(req, query), null);
            byte[] body = handshakeJson(c.id, true).getBytes(StandardCharsets.UTF_8);
            c.start();
            AsyncContext ac = req.startAsync();
            writeAsync(ac, 200, "text/plain; charset=UTF-8", body);
            return;
        }
        EngineConnection c = sessions.get(sid);
        if (c == null) {
            writeError(resp, 400, 1, "Session ID unknown");
            return;
        }
        if (get) {
            c.onPoll(req, resp);
        } else {
            c.onPost(req, resp);
        }
    }

    private SocketIoHandshake handshake(HttpServletRequest req, Map<String, List<String>> query) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements();) {
            String name = names.nextElement();
            headers.put(name, Collections.list(req.getHeaders(name)));
        }
        return new SocketIoHandshake(headers, query, req.getRemoteAddr() + ":" + req.getRemotePort(), null,
                Instant.now());
    }

    /** Writes a whole response without blocking, then completes {@code ac}. */
    static void writeAsync(AsyncContext ac, int status, String contentType, byte[] body) {
        try {
            HttpServletResponse r = (HttpServletResponse) ac.getResponse();
            r.setStatus(status);
            r.setContentType(contentType);
            r.setContentLength(body.length);
            ServletOutputStream out = r.getOutputStream();
            out.setWriteListener(new WriteListener() {
                private boolean written;

                @Override
                public void onWritePossible() throws IOException {
                    if (!written) {
                        written = true;
                        out.write(body);
                    }
                    if (out.isReady()) {
                        ac.complete();
                    }
                }

                @Override
                public void onError(Throwable t) {
                    completeQuietly(ac);
                }
            });
        } catch (IOException | RuntimeException e) {
            log.debug("Could not answer a polling request", e);
            completeQuietly(ac);
        }
    }

    private static void completeQuietly(AsyncContext ac) {
        try {
            ac.complete();
        } catch (RuntimeException ignored) {
            // already completed
        }
    }

    /** A short JSON error in the Node.js server's format, written on the request thread. */
    static void writeError(HttpServletResponse resp, int status, int code, String message) throws IOException {
        byte[] body = ("{\"code\":" + code + ",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
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

    // ---------------------------------------------------------------- origin

    /** Requests without Origin (non-browser clients) pass; browsers need same origin or the allowlist. */
    boolean originAllowed(String origin, String host) {
        if (origin == null || anyOrigin) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(o)) {
            return true;
        }
        if (host == null) {
            return false;
        }
        try {
            URI uri = new URI(o);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            String h = host.trim().toLowerCase(Locale.ROOT);
            String hostName = h;
            int hostPort = -1;
            int colon = h.lastIndexOf(':');
            if (colon > 0 && h.indexOf(']') < colon) {
                hostName = h.substring(0, colon);
                try {
                    hostPort = Integer.parseInt(h.substring(colon + 1));
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            if (hostPort == -1) {
                hostPort = "https".equals(uri.getScheme()) ? 443 : 80;
            }
            return uri.getHost().equals(hostName) && port == hostPort;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Parses a query string itself: {@code getParameter} would consume a form-encoded POST body. */
    static Map<String, List<String>> parseQuery(String queryString) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (queryString == null || queryString.isEmpty()) {
            return query;
        }
        for (String pair : queryString.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
            } catch (IllegalArgumentException e) {
                // a malformed escape: skip the pair, the checks below refuse what is missing
            }
        }
        return query;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
