package io.fatechat.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.memory.InMemoryThrottleStore;
import io.fatechat.socketio.ClientAddressResolver;
import io.fatechat.spi.ChatException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ErrorCode;
import io.fatechat.spi.InvalidTokenException;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.Room;
import io.fatechat.spi.ThrottleStore;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API of Fatechat on any Servlet 6 container, mapped at {@code <prefix>/*} (e.g. {@code /api/*}):
 * register, login, rooms, room history and private history, with the original Node.js front-end's field names, and
 * the caller's conversations (list, mark read).
 *
 * <p>It parses and validates every request itself, so malformed JSON (duplicate keys included), wrong types, a
 * missing body, a bad path variable or a body that is not {@code application/json} each get a JSON error
 * ({@code {"error":"...","code":"..."}}) with a 4xx status, never a 500 or a stack trace. Refusals of the engine
 * map to statuses by {@link ChatHttpStatus}; a throttled request gets 429 with {@code Retry-After}.
 *
 * <p>Hostile clients: bodies are read with a non-blocking {@link ReadListener}, so a client that dribbles its body
 * holds no container thread, and one that takes longer than {@link ChatRestConfig#bodyTimeout()} gets 408. Login
 * and register are throttled per client address and per account ({@link ThrottleStore}). Browser origins outside
 * {@link ChatRestConfig#allowedOrigins()} get 403 (CORS preflights included); together with JSON-only bodies this
 * shuts out cross-site form posts (login CSRF). The servlet must be registered with async support.
 */
public class ChatRestServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(ChatRestServlet.class);

    private static final Pattern ROOM_MESSAGES = Pattern.compile("/chat/([^/]*)/messages/?");
    private static final Pattern DM_MESSAGES = Pattern.compile("/dm/([^/]*)/messages/?");
    private static final Pattern CONVERSATION_READ = Pattern.compile("/conversations/([^/]+)/read/?");
    private static final DateTimeFormatter JS_DATE = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int DEFAULT_LIMIT = 50;

    private static final String CORS_ALLOWED_HEADERS = "Authorization, Content-Type";
    private static final String CORS_MAX_AGE_SECONDS = "600";

    private final transient ChatEngine engine;
    private final transient ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final transient ChatRestConfig config;
    private final transient AllowedOrigins origins;
    private final transient RequestThrottle throttle;
    private final transient ClientAddressResolver clientAddresses;
    private final int maxBodySize;
    private final AtomicBoolean warnedBlocking = new AtomicBoolean();

    /**
     * The API with the default {@link ChatRestConfig} but {@code maxBodySize}, throttling on this node only.
     *
     * @param maxBodySize the largest accepted request body in bytes; larger gets 413
     */
    public ChatRestServlet(ChatEngine engine, int maxBodySize) {
        this(engine, ChatRestConfig.builder().maxBodySize(maxBodySize).build(), new InMemoryThrottleStore());
    }

    /**
     * @param engine the chat
     * @param config limits, origins and throttles
     * @param throttles the attempt counters of login and register; share one backend between nodes (e.g. Redis)
     *        so that the limits hold for the deployment, not per node
     */
    public ChatRestServlet(ChatEngine engine, ChatRestConfig config, ThrottleStore throttles) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.config = Objects.requireNonNull(config, "config");
        this.origins = new AllowedOrigins(config.allowedOrigins());
        this.throttle = new RequestThrottle(throttles, config);
        this.clientAddresses = ClientAddressResolver.of(config.trustedProxies());
        this.maxBodySize = config.maxBodySize();
    }

    /** The settings this servlet runs with. */
    public ChatRestConfig config() {
        return config;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        try {
            String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
            String allowed = allowedMethods(path);
            checkOrigin(req, resp);
            if (allowed == null) {
                throw new RestError(
                        404, "no such endpoint: " + req.getMethod() + " " + req.getRequestURI(), "not_found");
            }
            if (req.getMethod().equals("OPTIONS")) {
                preflight(req, resp, allowed);
                return;
            }
            if (!List.of(allowed.split(", ")).contains(req.getMethod())) {
                resp.setHeader("Allow", allowed);
                throw new RestError(405, "method " + req.getMethod() + " is not allowed here", "method_not_allowed");
            }
            Call call = route(req, path);
            if (!call.takesBody()) {
                write(resp, 200, call.answer().apply(null));
                return;
            }
            checkJsonBody(req);
            if (req.isAsyncSupported()) {
                new BodyReader(req, resp, call).start();
            } else {
                warnBlockingOnce();
                write(resp, 200, call.answer().apply(parse(readBlocking(req))));
            }
        } catch (RuntimeException e) {
            writeFailure(req, resp, e);
        }
    }

    /** What a request does once its body (for POST) is read: the answer's JSON body, sent with 200. */
    private record Call(boolean takesBody, Function<JsonNode, Object> answer) {}

    /** The methods {@code path} takes ({@code Allow} header form), or null for an unknown path. */
    private static String allowedMethods(String path) {
        if (path.equals("/register")
                || path.equals("/register/")
                || path.equals("/login")
                || path.equals("/login/")
                || path.equals("/logout")
                || path.equals("/logout/")) {
            return "POST";
        }
        if (path.equals("/chat") || path.equals("/chat/")) {
            return "GET, POST";
        }
        if (path.equals("/conversations") || path.equals("/conversations/")) {
            return "GET";
        }
        if (CONVERSATION_READ.matcher(path).matches()) {
            return "POST";
        }
        if (ROOM_MESSAGES.matcher(path).matches() || DM_MESSAGES.matcher(path).matches()) {
            return "GET";
        }
        return null;
    }

    /**
     * The call for an allowed method of a known path. Authentication and the address throttle run here, before any
     * body is read, so that refused clients cost no reading.
     */
    private Call route(HttpServletRequest req, String path) {
        String method = req.getMethod();
        if (path.startsWith("/register")) {
            throttle.attemptFrom(clientAddresses.resolve(req));
            return new Call(
                    true, body -> Map.of("token", engine.register(text(body, "email"), text(body, "password"))));
        }
        if (path.startsWith("/login")) {
            throttle.attemptFrom(clientAddresses.resolve(req));
            return new Call(true, body -> {
                String email = text(body, "email");
                String password = text(body, "password");
                throttle.loginAttempt(email);
                String token = engine.login(email, password);
                throttle.loginSucceeded(email);
                return Map.of("token", token);
            });
        }
        if (path.startsWith("/logout")) {
            String token = BearerToken.fromAuthorizationHeader(req.getHeader("Authorization"));
            if (token == null) {
                throw new InvalidTokenException(InvalidTokenException.Reason.MISSING);
            }
            // no body to read: a cross-site form cannot send the Authorization header anyway
            return new Call(false, none -> {
                engine.logout(token);
                return Map.of("ok", true);
            });
        }
        Matcher read = CONVERSATION_READ.matcher(path);
        if (read.matches()) {
            // POST /conversations/{id}/read {messageId}: the shapes are the Socket.IO events', so both APIs agree
            String user = authenticate(req);
            String conversation = read.group(1);
            return new Call(
                    true,
                    body -> ChatWireFormat.conversation(
                            user, engine.markRead(user, conversation, text(body, "messageId"))));
        }
        if (path.startsWith("/conversations")) {
            String user = authenticate(req);
            String after = req.getParameter("after");
            int limit = integerParameter(req, "limit", ChatSocketIoBinding.DEFAULT_CONVERSATION_PAGE);
            return new Call(
                    false, none -> ChatWireFormat.conversations(user, engine.conversations(user, after, limit)));
        }
        if (path.startsWith("/chat/") && path.length() > "/chat/".length()) {
            Matcher room = ROOM_MESSAGES.matcher(path);
            room.matches();
            String user = authenticate(req);
            long id = roomId(room.group(1));
            String before = before(req);
            int limit = limit(req);
            return new Call(false, none -> messages(engine.roomHistory(user, id, before, limit)));
        }
        if (path.startsWith("/chat")) {
            String user = authenticate(req);
            if (method.equals("GET")) {
                int limit = integerParameter(req, "limit", config.maxRoomPage());
                long after = integerParameter(req, "after", 0L, 0L);
                return new Call(false, none -> roomPage(after, Math.min(limit, config.maxRoomPage())));
            }
            return new Call(true, body -> {
                String name = text(body, "name");
                throttle.roomCreation(user);
                return room(engine.createRoom(user, name));
            });
        }
        Matcher dm = DM_MESSAGES.matcher(path);
        dm.matches();
        String user = authenticate(req);
        String other = dm.group(1);
        if (other.isBlank()) {
            throw new RestError(400, "email: is required", ErrorCode.INVALID_INPUT.wireName());
        }
        String before = before(req);
        int limit = limit(req);
        return new Call(false, none -> messages(engine.privateHistory(user, other, before, limit)));
    }

    /** Refuses a browser origin outside the allowlist; echoes an allowed one for CORS. */
    private void checkOrigin(HttpServletRequest req, HttpServletResponse resp) {
        String origin = req.getHeader("Origin");
        if (origin == null) {
            return;
        }
        if (!origins.allows(origin, req)) {
            throw new RestError(403, "origin not allowed: " + truncate(origin), "forbidden");
        }
        resp.setHeader("Access-Control-Allow-Origin", origin.strip());
        resp.addHeader("Vary", "Origin");
    }

    /** Answers {@code OPTIONS}, a CORS preflight included (the origin was checked already). */
    private static void preflight(HttpServletRequest req, HttpServletResponse resp, String allowed) {
        resp.setHeader("Allow", allowed + ", OPTIONS");
        if (req.getHeader("Origin") != null) {
            resp.setHeader("Access-Control-Allow-Methods", allowed);
            resp.setHeader("Access-Control-Allow-Headers", CORS_ALLOWED_HEADERS);
            resp.setHeader("Access-Control-Max-Age", CORS_MAX_AGE_SECONDS);
        }
        resp.setStatus(204);
    }

    private String authenticate(HttpServletRequest req) {
        String token = BearerToken.fromAuthorizationHeader(req.getHeader("Authorization"));
        if (token == null) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MISSING);
        }
        return engine.authenticate(token);
    }

    /** A body must be declared JSON (no form posts from other sites) and fit the limit when its length is known. */
    private void checkJsonBody(HttpServletRequest req) {
        String type = req.getContentType();
        if (type == null || !isJson(type)) {
            throw new RestError(
                    415,
                    type == null
                            ? "Content-Type must be application/json"
                            : "Content-Type must be application/json, was '" + truncate(type) + "'",
                    "unsupported_media_type");
        }
        if (req.getContentLengthLong() > maxBodySize) {
            throw tooLarge();
        }
    }

    /** Only for containers that cannot run the servlet asynchronously. */
    private byte[] readBlocking(HttpServletRequest req) {
        try (InputStream in = req.getInputStream()) {
            byte[] bytes = in.readNBytes(maxBodySize + 1);
            if (bytes.length > maxBodySize) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw new RestError(400, "request body could not be read", ErrorCode.INVALID_INPUT.wireName());
        }
    }

    private void warnBlockingOnce() {
        if (warnedBlocking.compareAndSet(false, true)) {
            log.warn("The REST servlet is registered without async support: request bodies are read with blocking "
                    + "I/O, so slow clients can hold container threads. Register it with asyncSupported=true.");
        }
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw new RestError(400, "request body must be a JSON object", ErrorCode.INVALID_INPUT.wireName());
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            String message = String.valueOf(e.getOriginalMessage());
            throw new RestError(
                    400,
                    message.startsWith("Duplicate field")
                            ? "request body has a duplicate key: "
                                    + truncate(message.substring("Duplicate field".length())
                                            .strip())
                            : "request body is not valid JSON",
                    ErrorCode.INVALID_INPUT.wireName());
        } catch (IOException e) {
            throw new RestError(400, "request body is not valid JSON", ErrorCode.INVALID_INPUT.wireName());
        }
        if (node == null || !node.isObject()) {
            throw new RestError(400, "request body must be a JSON object", ErrorCode.INVALID_INPUT.wireName());
        }
        return node;
    }

    private static String truncate(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
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
        throw new RestError(
                400, "id: must be a positive integer, was '" + raw + "'", ErrorCode.INVALID_INPUT.wireName());
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
        throw new RestError(
                400, "limit: must be a positive integer, was '" + raw + "'", ErrorCode.INVALID_INPUT.wireName());
    }

    /** Rooms with ids above {@code after}, oldest first, at most {@code limit}: the same array shape paged or not. */
    private List<Map<String, Object>> roomPage(long after, int limit) {
        List<Map<String, Object>> page = new ArrayList<>();
        for (Room room : engine.rooms()) {
            if (room.id() > after) {
                page.add(room(room));
                if (page.size() == limit) {
                    break;
                }
            }
        }
        return page;
    }

    /** A positive integer query parameter, or {@code absent} when it is not given. */
    private static int integerParameter(HttpServletRequest req, String name, int absent) {
        return (int) Math.min(Integer.MAX_VALUE, integerParameter(req, name, (long) absent, 1L));
    }

    /** An integer query parameter of at least {@code min}, or {@code absent} when it is not given. */
    private static long integerParameter(HttpServletRequest req, String name, long absent, long min) {
        String raw = req.getParameter(name);
        if (raw == null || raw.isEmpty()) {
            return absent;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new RestError(
                400,
                name + ": must be an integer of at least " + min + ", was '" + truncate(raw) + "'",
                ErrorCode.INVALID_INPUT.wireName());
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
            m.put(
                    "room_name",
                    message.conversation().isRoom() ? message.conversation().roomName() : null);
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

    /** Answers a failed request: a JSON error, never a stack trace; 500 (logged) only for bugs. */
    private void writeFailure(HttpServletRequest req, HttpServletResponse resp, RuntimeException e) throws IOException {
        if (e instanceof RestError r) {
            if (r.status == 413 || r.status == 415) {
                // the unread body is not worth draining: close the connection instead
                resp.setHeader("Connection", "close");
            }
            writeError(resp, r.status, r.getMessage(), r.code);
        } else if (e instanceof ChatException c && c.code() != ErrorCode.INTERNAL) {
            if (c instanceof RateLimitedException limited) {
                limited.retryAfter()
                        .ifPresent(wait -> resp.setHeader(
                                "Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))));
            }
            writeError(
                    resp, ChatHttpStatus.of(c.code()), c.getMessage(), c.code().wireName());
        } else {
            log.error("REST {} {} failed", req.getMethod(), req.getRequestURI(), e);
            writeError(resp, 500, "internal error", ErrorCode.INTERNAL.wireName());
        }
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

    /**
     * Reads one request body without blocking and answers it: the body arrives through {@link ReadListener}
     * callbacks, so a client that dribbles holds no thread, and the async timeout answers 408 to one that takes
     * longer than the body timeout. Exactly one answer is written, by whichever of them finishes first.
     */
    private final class BodyReader implements ReadListener, AsyncListener {

        private final HttpServletRequest req;
        private final HttpServletResponse resp;
        private final Call call;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        private final byte[] buffer = new byte[4096];
        private AsyncContext async;
        private ServletInputStream in;

        BodyReader(HttpServletRequest req, HttpServletResponse resp, Call call) {
            this.req = req;
            this.resp = resp;
            this.call = call;
        }

        void start() throws IOException {
            async = req.startAsync(req, resp);
            async.setTimeout(config.bodyTimeout().toMillis());
            async.addListener(this);
            in = req.getInputStream();
            in.setReadListener(this);
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!finished.get() && in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                if (body.size() + n > maxBodySize) {
                    finish(tooLarge());
                    return;
                }
                body.write(buffer, 0, n);
            }
        }

        @Override
        public void onAllDataRead() {
            if (finished.get()) {
                return;
            }
            Object answer;
            try {
                answer = call.answer().apply(parse(body.toByteArray()));
            } catch (RuntimeException e) {
                finish(e);
                return;
            }
            if (finished.compareAndSet(false, true)) {
                try {
                    write(resp, 200, answer);
                } catch (IOException e) {
                    log.debug("REST answer to {} not delivered: {}", clientAddresses.resolve(req), e.getMessage());
                } finally {
                    async.complete();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            // the client went away mid-body, or the container failed the read: nothing was processed
            finish(new RestError(400, "request body could not be read", ErrorCode.INVALID_INPUT.wireName()));
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            resp.setHeader("Connection", "close");
            finish(new RestError(
                    408,
                    "request body not received within " + config.bodyTimeout().toMillis() + " ms",
                    "request_timeout"));
        }

        @Override
        public void onError(AsyncEvent event) {
            finish(new RestError(400, "request failed", ErrorCode.INVALID_INPUT.wireName()));
        }

        @Override
        public void onComplete(AsyncEvent event) {
            finished.set(true);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }

        private void finish(RuntimeException failure) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            try {
                writeFailure(req, resp, failure);
            } catch (IOException | RuntimeException e) {
                log.debug("REST error answer to {} not delivered: {}", clientAddresses.resolve(req), e.getMessage());
            } finally {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // completed by the container already (client gone)
                }
            }
        }
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
