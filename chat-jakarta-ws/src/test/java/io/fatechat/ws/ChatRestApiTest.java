package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fatechat.core.ChatConnection;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.AccessDeniedException;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.Room;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.User;
import io.fatechat.spi.UserStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST API on a real servlet container (embedded Jetty, async support on, as a host registers it) on a random
 * port: every answer of the contract (docs/protocol.md), and a JSON 4xx for every kind of bad input. Statuses the
 * in-memory engine cannot produce by itself (403, 429, 503) come from stores that refuse on purpose.
 */
class ChatRestApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    static final String ALLOWED_ORIGIN = "https://app.example.com";
    static final int ATTEMPTS_PER_ACCOUNT = 5;
    static final int ROOMS_PER_USER = 12;

    static int port;
    static ChatEngine engine;
    private static RestTestServer server;

    private final HttpClient http = HttpClient.newHttpClient();
    private String token;
    private static int users;

    @BeforeAll
    static void start() throws Exception {
        engine = ChatEngine.builder()
                .userStore(refusingUserStore())
                .roomStore(refusingRoomStore())
                .historyStore(refusingHistoryStore())
                .bcryptCost(4)
                .tokenSecret("rest-api-test-secret-of-32-bytes!!")
                .build();
        ChatRestConfig config = ChatRestConfig.builder()
                .maxBodySize(1024)
                .bodyTimeout(Duration.ofMillis(500))
                .allowedOrigins(ALLOWED_ORIGIN)
                // every test registers from 127.0.0.1: the address limit is tested with a config of its own
                .attemptsPerAddress(100_000, Duration.ofMinutes(1))
                .attemptsPerAccount(ATTEMPTS_PER_ACCOUNT, Duration.ofMinutes(15))
                .roomsPerUser(ROOMS_PER_USER, Duration.ofHours(1))
                .build();
        server = RestTestServer.start(engine, config);
        port = server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            server.close();
        } finally {
            engine.close();
        }
    }

    @BeforeEach
    void user() throws Exception {
        String email = "user" + (++users) + "@example.com";
        Response r = post("/api/register", "{\"email\":\"" + email + "\",\"password\":\"password-1\"}", null);
        assertThat(r.status).isEqualTo(200);
        token = r.json.get("token").asText();
    }

    // ---- register and login ----

    @Test
    void registerReturnsAToken() throws Exception {
        Response r = post("/api/register", "{\"email\":\"new@example.com\",\"password\":\"password-1\"}", null);
        assertThat(r.status).isEqualTo(200);
        assertThat(engine.authenticate(r.json.get("token").asText())).isEqualTo("new@example.com");
    }

    @Test
    void registerRefusesInvalidInputWith400() throws Exception {
        assertError(
                post("/api/register", "{\"email\":\"not-an-email\",\"password\":\"password-1\"}", null),
                400,
                "invalid_input");
        assertError(
                post("/api/register", "{\"email\":\"short@example.com\",\"password\":\"x\"}", null),
                400,
                "invalid_input");
        assertError(post("/api/register", "{\"password\":\"password-1\"}", null), 400, "invalid_input");
    }

    @Test
    void registerRefusesATakenEmailWith409() throws Exception {
        post("/api/register", "{\"email\":\"taken@example.com\",\"password\":\"password-1\"}", null);
        assertError(
                post("/api/register", "{\"email\":\"TAKEN@example.com\",\"password\":\"password-2\"}", null),
                409,
                "conflict");
    }

    @Test
    void loginReturnsATokenOr401InvalidCredentials() throws Exception {
        post("/api/register", "{\"email\":\"erin@example.com\",\"password\":\"password-1\"}", null);
        Response ok = post("/api/login", "{\"email\":\"erin@example.com\",\"password\":\"password-1\"}", null);
        assertThat(ok.status).isEqualTo(200);
        assertThat(engine.authenticate(ok.json.get("token").asText())).isEqualTo("erin@example.com");

        Response wrong = post("/api/login", "{\"email\":\"erin@example.com\",\"password\":\"password-2\"}", null);
        assertError(wrong, 401, "unauthorized");
        assertThat(wrong.json.get("error").asText()).isEqualTo("Invalid credentials");
        Response unknown = post("/api/login", "{\"email\":\"nobody@example.com\",\"password\":\"password-2\"}", null);
        assertThat(unknown.json.get("error").asText()).isEqualTo("Invalid credentials");
    }

    // ---- rooms ----

    @Test
    void createAndListRooms() throws Exception {
        Response created = post("/api/chat", "{\"name\":\"general\"}", "Bearer " + token);
        assertThat(created.status).isEqualTo(200);
        assertThat(created.json.get("id").asLong()).isPositive();
        assertThat(created.json.get("name").asText()).isEqualTo("general");
        assertThat(created.json.get("createdAt").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        Response list = get("/api/chat", "Bearer " + token);
        assertThat(list.status).isEqualTo(200);
        assertThat(list.json.isArray()).isTrue();
        assertThat(list.json.findValuesAsText("name")).contains("general");
    }

    @Test
    void createRoomRefusesBadNamesWith400AndTakenNamesWith409() throws Exception {
        assertError(post("/api/chat", "{\"name\":\"\"}", "Bearer " + token), 400, "invalid_input");
        assertError(
                post("/api/chat", "{\"name\":\"" + "x".repeat(65) + "\"}", "Bearer " + token), 400, "invalid_input");
        post("/api/chat", "{\"name\":\"dupe\"}", "Bearer " + token);
        assertError(post("/api/chat", "{\"name\":\"DUPE\"}", "Bearer " + token), 409, "conflict");
    }

    @Test
    void bearerPrefixInAnyCase() throws Exception {
        assertThat(get("/api/chat", "BEARER " + token).status).isEqualTo(200);
        assertThat(get("/api/chat", "bearer " + token).status).isEqualTo(200);
    }

    @Test
    void missingOrBadTokenGets401() throws Exception {
        assertError(get("/api/chat", null), 401, "unauthorized");
        assertError(get("/api/chat", "Bearer not-a-token"), 401, "unauthorized");
        assertError(post("/api/chat", "{\"name\":\"x\"}", null), 401, "unauthorized");
        assertError(get("/api/chat/1/messages", null), 401, "unauthorized");
        assertError(get("/api/dm/a@example.com/messages", null), 401, "unauthorized");
    }

    // ---- history ----

    @Test
    void roomMessagesNewestFirstWithTheOriginalFieldNames() throws Exception {
        long id = post("/api/chat", "{\"name\":\"history\"}", "Bearer " + token)
                .json
                .get("id")
                .asLong();
        String user = engine.authenticate(token);
        try (ChatConnection connection = engine.connect(user)) {
            connection.joinRoom("history");
            connection
                    .sendMessage("history", "first", null)
                    .toCompletableFuture()
                    .join();
            connection
                    .sendMessage("history", "second", null)
                    .toCompletableFuture()
                    .join();
        }
        JsonNode messages = awaitMessages("/api/chat/" + id + "/messages?limit=50", 2);
        JsonNode newest = messages.get(0);
        assertThat(newest.fieldNames())
                .toIterable()
                .containsExactly("id", "message_text", "sender_mail", "is_event", "room_name", "createdAt");
        List<String> texts = messages.findValuesAsText("message_text");
        assertThat(texts.indexOf("second")).isLessThan(texts.indexOf("first"));
        assertThat(newest.get("room_name").asText()).isEqualTo("history");
        assertThat(newest.get("sender_mail").asText()).isEqualTo(user);

        Response limited = get("/api/chat/" + id + "/messages?limit=1", "Bearer " + token);
        assertThat(limited.json.size()).isEqualTo(1);
        String before = limited.json.get(0).get("id").asText();
        Response older = get("/api/chat/" + id + "/messages?limit=50&before=" + before, "Bearer " + token);
        assertThat(older.json.findValuesAsText("id")).doesNotContain(before).isNotEmpty();
    }

    @Test
    void roomMessagesOfAnUnknownRoomGet404AndBadParametersGet400() throws Exception {
        assertError(get("/api/chat/999999/messages", "Bearer " + token), 404, "not_found");
        assertError(get("/api/chat/abc/messages", "Bearer " + token), 400, "invalid_input");
        assertError(get("/api/chat/-1/messages", "Bearer " + token), 400, "invalid_input");
        long id = post("/api/chat", "{\"name\":\"params\"}", "Bearer " + token)
                .json
                .get("id")
                .asLong();
        assertError(get("/api/chat/" + id + "/messages?limit=abc", "Bearer " + token), 400, "invalid_input");
        assertError(get("/api/chat/" + id + "/messages?limit=0", "Bearer " + token), 400, "invalid_input");
    }

    @Test
    void privateMessagesOfTheCallersConversation() throws Exception {
        post("/api/register", "{\"email\":\"frank@example.com\",\"password\":\"password-1\"}", null);
        String user = engine.authenticate(token);
        try (ChatConnection connection = engine.connect(user)) {
            connection
                    .sendPrivateMessage("frank@example.com", "hello frank", null)
                    .toCompletableFuture()
                    .join();
        }
        JsonNode messages = awaitMessages("/api/dm/frank@example.com/messages", 1);
        assertThat(messages.get(0).get("message_text").asText()).isEqualTo("hello frank");
        assertThat(messages.get(0).get("sender_mail").asText()).isEqualTo(user);
        assertThat(messages.get(0).get("is_event").asBoolean()).isFalse();
    }

    // ---- refusals of the backends ----

    @Test
    void accessDeniedGets403() throws Exception {
        long id = post("/api/chat", "{\"name\":\"forbidden\"}", "Bearer " + token)
                .json
                .get("id")
                .asLong();
        assertError(get("/api/chat/" + id + "/messages", "Bearer " + token), 403, "forbidden");
    }

    @Test
    void rateLimitedGets429() throws Exception {
        assertError(post("/api/chat", "{\"name\":\"too-fast\"}", "Bearer " + token), 429, "rate_limited");
    }

    @Test
    void backendOutageGets503() throws Exception {
        assertError(
                post("/api/register", "{\"email\":\"down@example.com\",\"password\":\"password-1\"}", null),
                503,
                "unavailable");
    }

    // ---- malformed requests: always a JSON 4xx ----

    @Test
    void malformedJsonGets400() throws Exception {
        assertError(post("/api/register", "{\"email\":", null), 400, "invalid_input");
        assertError(post("/api/register", "{} trailing", null), 400, "invalid_input");
        assertError(post("/api/chat", "[1,2]", "Bearer " + token), 400, "invalid_input");
        assertError(post("/api/chat", "\"just a string\"", "Bearer " + token), 400, "invalid_input");
    }

    @Test
    void wrongTypesGet400() throws Exception {
        assertError(post("/api/register", "{\"email\":42,\"password\":\"password-1\"}", null), 400, "invalid_input");
        assertError(
                post("/api/login", "{\"email\":\"a@example.com\",\"password\":{\"x\":1}}", null), 400, "invalid_input");
        assertError(post("/api/chat", "{\"name\":[\"a\"]}", "Bearer " + token), 400, "invalid_input");
    }

    @Test
    void missingBodyGets400() throws Exception {
        assertError(
                send(HttpRequest.newBuilder(uri("/api/login"))
                        .header("Content-Type", JSON_TYPE)
                        .POST(HttpRequest.BodyPublishers.noBody())),
                400,
                "invalid_input");
    }

    @Test
    void duplicateKeysGet400SoNoParserCanPickADifferentOne() throws Exception {
        Response r = post(
                "/api/register",
                "{\"email\":\"first@example.com\",\"password\":\"password-1\",\"email\":\"second@example.com\"}",
                null);
        assertError(r, 400, "invalid_input");
        assertThat(r.json.get("error").asText()).contains("duplicate key").contains("email");
        assertError(
                post("/api/login", "{\"email\":\"second@example.com\",\"password\":\"password-1\"}", null),
                401,
                "unauthorized");
    }

    @Test
    void aBodyWithoutContentTypeGets415SoNoCrossSiteFormCanLogIn() throws Exception {
        post("/api/register", "{\"email\":\"csrf@example.com\",\"password\":\"password-1\"}", null);
        assertError(
                send(HttpRequest.newBuilder(uri("/api/login"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"email\":\"csrf@example.com\",\"password\":\"password-1\"}"))),
                415,
                "unsupported_media_type");
        assertError(
                send(HttpRequest.newBuilder(uri("/api/login"))
                        .header("Content-Type", "text/plain;charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"email\":\"csrf@example.com\",\"password\":\"password-1\"}"))),
                415,
                "unsupported_media_type");
    }

    @Test
    void unsupportedMediaTypeGets415() throws Exception {
        assertError(
                send(HttpRequest.newBuilder(uri("/api/login"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("email=a"))),
                415,
                "unsupported_media_type");
        assertError(
                send(HttpRequest.newBuilder(uri("/api/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("email=a&password=b"))),
                415,
                "unsupported_media_type");
    }

    @Test
    void tooLargeBodyGets413() throws Exception {
        assertError(post("/api/register", "{\"email\":\"" + "a".repeat(2000) + "\"}", null), 413, "payload_too_large");
    }

    @Test
    void unknownEndpointGets404AndWrongMethod405() throws Exception {
        assertError(get("/api/nothing-here", "Bearer " + token), 404, "not_found");
        Response r = get("/api/login", null);
        assertError(r, 405, "method_not_allowed");
        assertError(send(HttpRequest.newBuilder(uri("/api/chat")).DELETE()), 405, "method_not_allowed");
    }

    // ---- hostile clients ----

    @Test
    void aBodyThatDoesNotArriveInTimeGets408AndTheConnectionIsClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"email\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the server gives up on the body after the body timeout (500 ms here) and says so
            String answer = new String(readToEnd(socket.getInputStream()), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(answer).contains("\"code\":\"request_timeout\"");
        }
    }

    @Test
    void loginIsThrottledPerAccountWith429AndRetryAfterEvenForTheRightPassword() throws Exception {
        post("/api/register", "{\"email\":\"guessed@example.com\",\"password\":\"password-1\"}", null);
        for (int i = 0; i < ATTEMPTS_PER_ACCOUNT; i++) {
            assertError(
                    post("/api/login", "{\"email\":\"guessed@example.com\",\"password\":\"wrong-" + i + "\"}", null),
                    401,
                    "unauthorized");
        }
        HttpResponse<String> refused = http.send(
                HttpRequest.newBuilder(uri("/api/login"))
                        .header("Content-Type", JSON_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"email\":\"GUESSED@example.com\",\"password\":\"password-1\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(refused.body()).get("code").asText()).isEqualTo("rate_limited");
        assertThat(refused.headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 15 * 60L));
    }

    @Test
    void aSuccessfulLoginStartsTheAccountCountAgain() throws Exception {
        post("/api/register", "{\"email\":\"forgetful@example.com\",\"password\":\"password-1\"}", null);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < ATTEMPTS_PER_ACCOUNT - 1; i++) {
                post("/api/login", "{\"email\":\"forgetful@example.com\",\"password\":\"wrong-password\"}", null);
            }
            assertThat(post("/api/login", "{\"email\":\"forgetful@example.com\",\"password\":\"password-1\"}", null)
                            .status)
                    .isEqualTo(200);
        }
    }

    @Test
    void anAllowedOriginGetsCorsHeadersAndItsPreflightAnswered() throws Exception {
        HttpResponse<String> preflight = http.send(
                HttpRequest.newBuilder(uri("/api/login"))
                        .header("Origin", ALLOWED_ORIGIN)
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "content-type")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .contains(ALLOWED_ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
                .contains("POST");
        assertThat(preflight
                        .headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElse("")
                        .toLowerCase())
                .contains("content-type")
                .contains("authorization");

        HttpResponse<String> list = http.send(
                HttpRequest.newBuilder(uri("/api/chat"))
                        .header("Origin", ALLOWED_ORIGIN)
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Access-Control-Allow-Origin")).contains(ALLOWED_ORIGIN);
    }

    @Test
    void anotherOriginIsRefusedWith403PreflightAndRequestAlike() throws Exception {
        HttpResponse<String> preflight = http.send(
                HttpRequest.newBuilder(uri("/api/login"))
                        .header("Origin", "https://evil.example.net")
                        .header("Access-Control-Request-Method", "POST")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();

        // the same host on another scheme or port is another origin
        for (String origin :
                List.of("https://evil.example.net", "http://app.example.com", "https://app.example.com:8443")) {
            assertError(
                    send(HttpRequest.newBuilder(uri("/api/login"))
                            .header("Origin", origin)
                            .header("Content-Type", JSON_TYPE)
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"email\":\"a@example.com\",\"password\":\"password-1\"}"))),
                    403,
                    "forbidden");
        }
    }

    @Test
    void theServersOwnOriginIsAlwaysAllowed() throws Exception {
        // what a browser sends for the page's own fetch: Origin equal to the scheme and Host it talks to
        Response r = send(HttpRequest.newBuilder(uri("/api/chat"))
                .header("Origin", "http://127.0.0.1:" + port)
                .header("Authorization", "Bearer " + token)
                .GET());
        assertThat(r.status).isEqualTo(200);
    }

    @Test
    void logoutEndsTheTokenAndEveryOtherOfTheUser() throws Exception {
        String other = engine.login(engine.authenticate(token), "password-1");
        Response out = send(HttpRequest.newBuilder(uri("/api/logout"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.status).isEqualTo(200);
        assertThat(out.json.get("ok").asBoolean()).isTrue();

        assertError(get("/api/chat", "Bearer " + token), 401, "unauthorized");
        assertError(get("/api/chat", "Bearer " + other), 401, "unauthorized");
        assertError(
                send(HttpRequest.newBuilder(uri("/api/logout")).POST(HttpRequest.BodyPublishers.noBody())),
                401,
                "unauthorized");
    }

    @Test
    void roomsArePagedByIdWithTheOriginalShape() throws Exception {
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(post("/api/chat", "{\"name\":\"paged-" + i + "\"}", "Bearer " + token)
                    .json
                    .get("id")
                    .asLong());
        }
        Response first = get("/api/chat?limit=2&after=" + (ids.get(0) - 1), "Bearer " + token);
        assertThat(first.json.findValuesAsText("name")).containsExactly("paged-0", "paged-1");
        Response next = get("/api/chat?limit=2&after=" + ids.get(1), "Bearer " + token);
        assertThat(next.json.findValuesAsText("name")).containsExactly("paged-2");
        assertThat(next.json.get(0).fieldNames()).toIterable().containsExactly("id", "name", "createdAt");
        assertError(get("/api/chat?limit=0", "Bearer " + token), 400, "invalid_input");
        assertError(get("/api/chat?after=x", "Bearer " + token), 400, "invalid_input");
    }

    @Test
    void oneUserCannotCreateRoomsWithoutEnd() throws Exception {
        Response last = null;
        for (int i = 0; i <= ROOMS_PER_USER; i++) {
            last = post("/api/chat", "{\"name\":\"spam-" + i + "\"}", "Bearer " + token);
        }
        assertError(last, 429, "rate_limited");
        assertThat(get("/api/chat", "Bearer " + token).json.findValuesAsText("name"))
                .doesNotContain("spam-" + ROOMS_PER_USER);
    }

    // ---- helpers ----

    private static byte[] readToEnd(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private JsonNode awaitMessages(String path, int atLeast) {
        // history is written by the persister shortly after the bus acknowledged the send
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> {
                            Response r = get(path, "Bearer " + token);
                            assertThat(r.status).isEqualTo(200);
                            return r.json;
                        },
                        json -> json.size() >= atLeast);
    }

    private static void assertError(Response r, int status, String code) {
        assertThat(r.status).as("status of %s", r.body).isEqualTo(status);
        assertThat(r.contentType).startsWith(JSON_TYPE);
        assertThat(r.json.get("code").asText()).isEqualTo(code);
        assertThat(r.json.get("error").asText())
                .isNotBlank()
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Response post(String path, String body, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", JSON_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    private Response get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Response(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                body,
                body.isEmpty() ? JSON.nullNode() : JSON.readTree(body));
    }

    private record Response(int status, String contentType, String body, JsonNode json) {}

    // ---- stores that refuse some requests on purpose ----

    static UserStore refusingUserStore() {
        InMemoryUserStore delegate = new InMemoryUserStore();
        return new UserStore() {
            @Override
            public User create(User user) {
                if (user.email().startsWith("down@")) {
                    throw new BackendUnavailableException("jdbc", "connection refused", null);
                }
                return delegate.create(user);
            }

            @Override
            public Optional<User> findByEmail(String email) {
                if (email.startsWith("down@")) {
                    throw new BackendUnavailableException("jdbc", "connection refused", null);
                }
                return delegate.findByEmail(email);
            }

            @Override
            public boolean revokeTokens(String email, java.time.Instant before) {
                return delegate.revokeTokens(email, before);
            }
        };
    }

    static RoomStore refusingRoomStore() {
        InMemoryRoomStore delegate = new InMemoryRoomStore();
        return new RoomStore() {
            @Override
            public Room create(String name) {
                if (name.equals("too-fast")) {
                    throw new RateLimitedException("roomsPerMinute", "too many rooms, try again later");
                }
                return delegate.create(name);
            }

            @Override
            public Optional<Room> findByName(String name) {
                return delegate.findByName(name);
            }

            @Override
            public Optional<Room> findById(long id) {
                return delegate.findById(id);
            }

            @Override
            public List<Room> list() {
                return delegate.list();
            }
        };
    }

    static HistoryStore refusingHistoryStore() {
        InMemoryHistoryStore delegate = new InMemoryHistoryStore();
        return new HistoryStore() {
            @Override
            public void append(List<ChatMessage> batch) {
                delegate.append(batch);
            }

            @Override
            public List<ChatMessage> page(ConversationId conversation, String beforeId, int limit) {
                if (conversation.isRoom() && conversation.roomName().equals("forbidden")) {
                    throw new AccessDeniedException("this room's history is closed");
                }
                return delegate.page(conversation, beforeId, limit);
            }

            @Override
            public Optional<ChatMessage> findByClientId(String sender, String clientId) {
                return delegate.findByClientId(sender, clientId);
            }
        };
    }
}
