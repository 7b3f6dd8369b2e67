package io.fatechat.ws;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fatechat.core.ChatEngine;
import io.fatechat.spi.ChatException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ErrorCode;
import io.fatechat.spi.InvalidTokenException;
import io.fatechat.spi.Room;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The REST API of Fatechat on any Servlet 6 container, mapped at {@code <prefix>/*} (e.g. {@code /api/*}):
 * register, login, rooms, room history and private history, with the original Node.js front-end's field names.
 *
 * <p>It parses and validates every request itself, so malformed JSON, wrong types, a missing body, a bad path
 * variable or a wrong media type each get a JSON error ({@code {"error":"...","code":"..."}}) with a 4xx status,
 * never a 500 or a stack trace. Refusals of the engine map to statuses by {@link ChatHttpStatus}.
 */
public class ChatRestServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(ChatRestServlet.class);

    private static final Pattern ROOM_MESSAGES = Pattern.compile("/chat/([^/]*)/messages/?");
    private static final Pattern DM_MESSAGES = Pattern.compile("/dm/([^/]*)/messages/?");
    private static final Pattern CONVERSATION_READ = Pattern.compile("/conversations/([^/]+)/read/?");
    private static final Pattern BEARER = Pattern.compile("(?i)^\\s*bearer\\s+(\\S+)\\s*$");
    private static final DateTimeFormatter JS_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int DEFAULT_LIMIT = 50;

    private final transient ChatEngine engine;
    private final transient ObjectMapper json =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final int maxBodySize;

    /**
     * @param engine the chat
     * @param maxBodySize the largest accepted request body in bytes; larger gets 413
     */
    public ChatRestServlet(ChatEngine engine, int maxBodySize) {
        this.engine = Objects.requireNonNull(engine, "engine");
        if (maxBodySize < 256) {
            throw new IllegalArgumentException("maxBodySize must be at least 256 bytes, was " + maxBodySize);
        }
        this.maxBodySize = maxBodySize;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        try {
            route(req, resp);
        } catch (RestError e) {
            writeError(resp, e.status, e.getMessage(), e.code);
        } catch (ChatException e) {
            if (e.code() == ErrorCode.INTERNAL) {
                log.error("REST {} {} failed", req.getMethod(), req.getRequestURI(), e);
                writeError(resp, 500, "internal error", ErrorCode.INTERNAL.wireName());
            } else {
                writeError(resp, ChatHttpStatus.of(e.code()), e.getMessage(), e.code().wireName());
            }
        } catch (RuntimeException e) {
            log.error("REST {} {} failed", req.getMethod(), req.getRequestURI(), e);
            writeError(resp, 500, "internal error", ErrorCode.INTERNAL.wireName());
        }
    }

    private void route(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        String method = req.getMethod();
        if (path.equals("/register") || path.equals("/register/")) {
            requireMethod(method, "POST", resp);
            JsonNode body = readObject(req);
            write(resp, 200, Map.of("token", engine.register(text(body, "email"), text(body, "password"))));
        } else if (path.equals("/login") || path.equals("/login/")) {
            requireMethod(method, "POST", resp);
            JsonNode body = readObject(req);
            write(resp, 200, Map.of("token", engine.login(text(body, "email"), text(body, "password"))));
        } else if (path.equals("/chat") || path.equals("/chat/")) {
            if (method.equals("GET")) {
                authenticate(req);
                List<Map<String, Object>> rooms = new ArrayList<>();
                for (Room room : engine.rooms()) {
                    rooms.add(room(room));
                }
                write(resp, 200, rooms);
            } else {
                requireMethod(method, "POST", resp, "GET");
                String user = authenticate(req);
                JsonNode body = readObject(req);
                write(resp, 200, room(engine.createRoom(user, text(body, "name"))));
            }
        } else if (path.startsWith("/conversations")) {
            conversations(req, resp, path, method);
        } else {
            Matcher room = ROOM_MESSAGES.matcher(path);
            Matcher dm = DM_MESSAGES.matcher(path);
            if (room.matches()) {
                requireMethod(method, "GET", resp);
                String user = authenticate(req);
                long id = roomId(room.group(1));
                write(resp, 200, messages(engine.roomHistory(user, id, before(req), limit(req))));
            } else if (dm.matches()) {
                requireMethod(method, "GET", resp);
                String user = authenticate(req);
                String other = dm.group(1);
                if (other.isBlank()) {
                    throw new RestError(400, "email: is required", ErrorCode.INVALID_INPUT.wireName());
                }
                write(resp, 200, messages(engine.privateHistory(user, other, before(req), limit(req))));
            } else {
                throw new RestError(404, "no such endpoint: " + method + " " + req.getRequestURI(), "not_found");
            }
        }
    }

    /**
     * {@code GET /conversations?limit&after}: a page of the caller's conversations; {@code POST
     * /conversations/{id}/read {messageId}}: marks one read. The shapes are the Socket.IO events' ({@link
     * ChatWireFormat#conversation}), so both forms of the API agree.
     */
    private void conversations(HttpServletRequest req, HttpServletResponse resp, String path, String method)
            throws IOException {
        Matcher read = CONVERSATION_READ.matcher(path);
        if (read.matches()) {
            requireMethod(method, "POST", resp);
            String user = authenticate(req);
            JsonNode body = readObject(req);
            write(resp, 200, ChatWireFormat.conversation(user,
                    engine.markRead(user, read.group(1), text(body, "messageId"))));
        } else if (path.equals("/conversations") || path.equals("/conversations/")) {
            requireMethod(method, "GET", resp);
            String user = authenticate(req);
            String after = req.getParameter("after");
            int limit = positiveParameter(req, "limit", ChatSocketIoBinding.DEFAULT_CONVERSATION_PAGE);
            write(resp, 200, ChatWireFormat.conversations(user, engine.conversations(user, after, limit)));
        } else {
            throw new RestError(404, "no such endpoint: " + method + " " + req.getRequestURI(), "not_found");
        }
    }

    private static int positiveParameter(HttpServletRequest req, String name, int otherwise) {
        String raw = req.getParameter(name);
        if (raw == null || raw.isEmpty()) {
            return otherwise;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new RestError(400, name + ": must be a positive integer", ErrorCode.INVALID_INPUT.wireName());
    }

    private static void requireMethod(String method, String allowed, HttpServletResponse resp, String... more) {
        if (!method.equals(allowed)) {
            resp.setHeader("Allow", more.length == 0 ? allowed : allowed + ", " + String.join(", ", more));
            throw new RestError(405, "method " + method + " is not allowed here", "method_not_allowed");
        }
    }

    private String authenticate(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MISSING);
        }
        Matcher m = BEARER.matcher(header);
        String token = m.matches() ? m.group(1) : header.trim();
        return engine.authenticate(token);
    }

    private JsonNode readObject(HttpServletRequest req) throws IOException {
        String type = req.getContentType();
        if (type != null && !isJson(type)) {
            throw new RestError(415, "Content-Type must be application/json, was '" + type + "'",
                    "unsupported_media_type");
        }
        if (req.getContentLengthLong() > maxBodySize) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes(maxBodySize + 1);
        }
        if (bytes.length > maxBodySize) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw new RestError(400, "request body must be a JSON object", ErrorCode.INVALID_INPUT.wireName());
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new RestError(400, "request body is not valid JSON", ErrorCode.INVALID_INPUT.wireName());
        }
        if (node == null || !node.isObject()) {
            throw new RestError(400, "request body must be a JSON object", ErrorCode.INVALID_INPUT.wireName());
        }
        return node;
    }

    private RestError tooLarge() {
        return new RestError(413, "request body is larger than " + maxBodySize + " bytes", "payload_too_large");
    }

    private static boolean isJson(String contentType) {
        String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return base.equals("application/json") || (base.startsWith("application/") && base.endsWith("+json"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new RestError(400, field + ": is required", ErrorCode.INVALID_INPUT.wireName());
        }
        if (!value.isTextual()) {
            throw new RestError(400, field + ": must be a string", ErrorCode.INVALID_INPUT.wireName());
        }
        return value.textValue();
    }

    private static long roomId(String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new RestError(400, "id: must be a positive integer, was '" + raw + "'", ErrorCode.INVALID_INPUT.wireName());
    }

    private int limit(HttpServletRequest req) {
        String raw = req.getParameter("limit");
        if (raw == null || raw.isEmpty()) {
            return Math.min(DEFAULT_LIMIT, engine.limits().maxRecentMessages());
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit > 0) {
                return Math.min(limit, engine.limits().maxRecentMessages());
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new RestError(400, "limit: must be a positive integer, was '" + raw + "'", ErrorCode.INVALID_INPUT.wireName());
    }

    private static String before(HttpServletRequest req) {
        String raw = req.getParameter("before");
        return raw == null || raw.isBlank() ? null : raw.trim();
    }

    private static Map<String, Object> room(Room room) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", room.id());
        m.put("name", room.name());
        m.put("createdAt", date(room.createdAt()));
        return m;
    }

    private static List<Map<String, Object>> messages(List<ChatMessage> messages) {
        List<Map<String, Object>> out = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", message.id());
            m.put("message_text", message.text());
            m.put("sender_mail", message.sender());
            m.put("is_event", message.event());
            m.put("room_name", message.conversation().isRoom() ? message.conversation().roomName() : null);
            m.put("createdAt", date(message.createdAt()));
            out.add(m);
        }
        return out;
    }

    private static String date(Instant instant) {
        return JS_DATE.format(instant);
    }

    private void write(HttpServletResponse resp, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private void writeError(HttpServletResponse resp, int status, String message, String code) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("code", code);
        write(resp, status, body);
    }

    /** A refusal decided by this servlet (transport-level input errors). */
    private static final class RestError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;

        RestError(int status, String message, String code) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }
}
