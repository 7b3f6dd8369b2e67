package io.fatechat.socketio;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
 * The HTTP side of Engine.IO (an async servlet): Origin and CORS, the request checks, the polling handshake, then
 * GET and POST of a session handed to it.
 */
final class PollingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(PollingServlet.class);

    private final transient EngineIoCore core;

    PollingServlet(EngineIoCore core) {
        this.core = core;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String origin = req.getHeader("Origin");
        if (!core.originAllowed(origin, req.getHeader("Host"))) {
            core.metrics.protocolError("origin not allowed");
            log.debug("Refusing Engine.IO request from {}: origin {} not allowed", req.getRemoteAddr(), origin);
            ServletResponses.writeError(resp, EngineError.FORBIDDEN);
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
            EngineSession c = core.open(handshake(req, query), PollingTransport::new);
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

    private static SocketIoHandshake handshake(HttpServletRequest req, Map<String, List<String>> query) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements();) {
            String name = names.nextElement();
            headers.put(name, Collections.list(req.getHeaders(name)));
        }
        return new SocketIoHandshake(headers, query, req.getRemoteAddr() + ":" + req.getRemotePort(), null,
                Instant.now());
    }
}
