package io.fatechat.socketio;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP request of the Engine.IO endpoint (an async servlet): Origin and CORS, the request checks, the
 * polling handshake, GET and POST of a polling session, and the WebSocket upgrade. An upgrade is checked here,
 * as plain HTTP, before the container upgrades it ({@code ServerContainer.upgradeHttpToWebSocket}): a refused
 * Origin gets 403, a bad request 400, an address over its session cap 429, never a 101 and a close frame.
 */
final class EngineIoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(EngineIoServlet.class);

    private final transient EngineIoCore core;
    private final transient ServerEndpointConfig endpoint;
    private final transient ServerContainer deployedContainer;

    /**
     * @param endpoint  the WebSocket endpoint upgrades are handed to
     * @param container the container given at deployment; the one the servlet context publishes is preferred
     *                  at request time (a host may deploy before the container's WebSocket support started)
     */
    EngineIoServlet(EngineIoCore core, ServerEndpointConfig endpoint, ServerContainer container) {
        this.core = core;
        this.endpoint = endpoint;
        this.deployedContainer = container;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // the address logs name and the per-address cap counts (X-Forwarded-For only from a trusted proxy)
        String client = core.clientAddresses.resolve(req);
        String origin = req.getHeader("Origin");
        if (!core.originAllowed(origin, req.getScheme(), req.getServerName(), req.getServerPort())) {
            core.metrics.protocolError("origin not allowed");
            log.debug("Refusing Engine.IO request from {}: origin {} not allowed", client, origin);
            ServletResponses.writeError(resp, EngineError.FORBIDDEN);
            return;
        }
        if (origin != null) {
            resp.setHeader("Access-Control-Allow-Origin", origin);
            resp.setHeader("Access-Control-Allow-Credentials", "true");
            resp.addHeader("Vary", "Origin");
        }
        String method = req.getMethod();
        if ("GET".equals(method) && "websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            upgrade(req, resp, client);
            return;
        }
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
        Map<String, List<String>> query = QueryString.parse(req.getQueryString());
        if (!"4".equals(QueryString.first(query, "EIO"))) {
            ServletResponses.writeError(resp, EngineError.UNSUPPORTED_PROTOCOL_VERSION);
            return;
        }
        if (!"polling".equals(QueryString.first(query, "transport"))) {
            ServletResponses.writeError(resp, EngineError.UNKNOWN_TRANSPORT);
            return;
        }
        boolean get = "GET".equals(method);
        if (!get && !"POST".equals(method)) {
            ServletResponses.writeError(resp, EngineError.BAD_HANDSHAKE_METHOD);
            return;
        }
        String sid = QueryString.first(query, "sid");
        if (sid == null) {
            if (!get) {
                ServletResponses.writeError(resp, EngineError.BAD_HANDSHAKE_METHOD);
                return;
            }
            if (core.closed()) {
                ServletResponses.writeError(resp, EngineError.SHUTTING_DOWN);
                return;
            }
            EngineSession c = core.open(handshake(req, query, client), client, PollingTransport::new);
            if (c == null) {
                ServletResponses.writeError(resp, EngineError.TOO_MANY_CONNECTIONS);
                return;
            }
            byte[] body = core.handshakeJson(c.id, true).getBytes(StandardCharsets.UTF_8);
            c.start();
            AsyncContext ac = req.startAsync();
            ServletResponses.writeText(ac, body);
            return;
        }
        EngineSession c = core.session(sid);
        if (c == null) {
            ServletResponses.writeError(resp, EngineError.UNKNOWN_SID);
            return;
        }
        if (!(c.transport() instanceof PollingTransport polling)) {
            // the session is on a WebSocket (upgraded, or opened on one)
            ServletResponses.writeError(resp, EngineError.BAD_REQUEST);
            return;
        }
        if (get) {
            polling.onPoll(req, resp);
        } else {
            polling.onPost(req, resp);
        }
    }

    /** A WebSocket upgrade: refused as plain HTTP, or handed to the container. */
    private void upgrade(HttpServletRequest req, HttpServletResponse resp, String client) throws IOException {
        Map<String, List<String>> query = QueryString.parse(req.getQueryString());
        EngineError refusal = null;
        if (!"4".equals(QueryString.first(query, "EIO"))) {
            refusal = EngineError.UNSUPPORTED_PROTOCOL_VERSION;
        } else if (!"websocket".equals(QueryString.first(query, "transport"))) {
            refusal = EngineError.UNKNOWN_TRANSPORT;
        } else if (QueryString.first(query, "sid") != null) {
            // a session that cannot take this upgrade (already on a WebSocket) is upgraded and closed, as the
            // Node.js server does and the Engine.IO suite expects
            if (core.session(QueryString.first(query, "sid")) == null) {
                refusal = EngineError.UNKNOWN_SID;
            }
        } else if (core.closed()) {
            refusal = EngineError.SHUTTING_DOWN;
        } else if (!core.mayOpen(client)) {
            core.metrics.protocolError("too many connections");
            refusal = EngineError.TOO_MANY_CONNECTIONS;
        }
        if (refusal != null) {
            log.debug("Refusing a WebSocket upgrade from {}: {}", client, refusal.message());
            ServletResponses.writeError(resp, refusal);
            return;
        }
        ServerContainer container = req.getServletContext().getAttribute(SocketIoDeployment.SERVER_CONTAINER_ATTRIBUTE)
                        instanceof ServerContainer published
                ? published
                : deployedContainer;
        try {
            // the handshake is taken here, and Tomcat gets a request without headers, parameters or query: it
            // keeps its copy of them (WsHandshakeRequest, held by the upgrade handler) for the whole life of the
            // WebSocket, some 3 KiB per idle connection (issue 11). Jetty refuses a wrapped request.
            WebSocketEndpoint.upgrading(handshake(req, query, client), client);
            container.upgradeHttpToWebSocket(
                    keepsUpgradeRequest(container) ? new UpgradeRequest(req) : req, resp, endpoint, Map.of());
        } catch (DeploymentException | RuntimeException e) {
            log.warn("WebSocket upgrade from {} failed", client, e);
            if (!resp.isCommitted()) {
                ServletResponses.writeError(resp, EngineError.BAD_REQUEST);
            }
        } finally {
            WebSocketEndpoint.upgraded();
        }
    }

    /**
     * The address a handshake names: {@code host:port} of the direct peer, or the forwarded client's address
     * (its port is unknown).
     */
    private static String displayAddress(HttpServletRequest req, String client) {
        return client.equals(req.getRemoteAddr()) ? client + ":" + req.getRemotePort() : client;
    }

    /** Tomcat's container, which keeps a copy of the upgrade request's headers, parameters and query. */
    static boolean keepsUpgradeRequest(ServerContainer container) {
        return container.getClass().getName().startsWith("org.apache.tomcat.websocket.");
    }

    /**
     * The upgrade request as the container sees it: its own header lookups (Upgrade, Connection, Sec-WebSocket-*,
     * Origin) answered, but no header names, parameters or query to copy and keep.
     */
    static final class UpgradeRequest extends HttpServletRequestWrapper {
        UpgradeRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }

        @Override
        public String getQueryString() {
            return null;
        }
    }

    private static SocketIoHandshake handshake(HttpServletRequest req, Map<String, List<String>> query, String client) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            headers.put(name, Collections.list(req.getHeaders(name)));
        }
        return new SocketIoHandshake(headers, query, displayAddress(req, client), null, Instant.now());
    }
}
