package io.fatechat.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

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

/**
 * The REST API on a real Tomcat on a random port: every answer of the contract (docs/protocol.md), and a JSON 4xx for
 * every kind of bad input. Statuses the in-memory engine cannot produce by itself (403, 429, 503) come from host
 * stores that refuse on purpose.
 */
@SpringBootTest(classes = ChatRestApiTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fatechat.auth.bcrypt-cost=4", "fatechat.auth.token-secret=rest-api-test-secret-of-32-bytes!!",
                "fatechat.rest.max-body-size=1024", "management.health.diskspace.enabled=false"})
class ChatRestApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    @LocalServerPort
    int port;

    @Autowired
    ChatEngine engine;

    private final HttpClient http = HttpClient.newHttpClient();
    private String token;
    private static int users;

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
        assertError(post("/api/register", "{\"email\":\"not-an-email\",\"password\":\"password-1\"}", null),
                400, "invalid_input");
        assertError(post("/api/register", "{\"email\":\"short@example.com\",\"password\":\"x\"}", null),
                400, "invalid_input");
        assertError(post("/api/register", "{\"password\":\"password-1\"}", null), 400, "invalid_input");
    }

    @Test
    void registerRefusesATakenEmailWith409() throws Exception {
        post("/api/register", "{\"email\":\"taken@example.com\",\"password\":\"password-1\"}", null);
        assertError(post("/api/register", "{\"email\":\"TAKEN@example.com\",\"password\":\"password-2\"}", null),
                409, "conflict");
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
        assertThat(created.json.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        Response list = get("/api/chat", "Bearer " + token);
        assertThat(list.status).isEqualTo(200);
        assertThat(list.json.isArray()).isTrue();
        assertThat(list.json.findValuesAsText("name")).contains("general");
    }

    @Test
    void createRoomRefusesBadNamesWith400AndTakenNamesWith409() throws Exception {
        assertError(post("/api/chat", "{\"name\":\"\"}", "Bearer " + token), 400, "invalid_input");
        assertError(post("/api/chat", "{\"name\":\"" + "x".repeat(65) + "\"}", "Bearer " + token), 400, "invalid_input");
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
        long id = post("/api/chat", "{\"name\":\"history\"}", "Bearer " + token).json.get("id").asLong();
        String user = engine.authenticate(token);
        try (ChatConnection connection = engine.connect(user)) {
            connection.joinRoom("history");
            connection.sendMessage("history", "first", null).toCompletableFuture().join();
            connection.sendMessage("history", "second", null).toCompletableFuture().join();
        }
        JsonNode messages = awaitMessages("/api/chat/" + id + "/messages?limit=50", 2);
        JsonNode newest = messages.get(0);
        assertThat(newest.fieldNames()).toIterable()
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
        long id = post("/api/chat", "{\"name\":\"params\"}", "Bearer " + token).json.get("id").asLong();
        assertError(get("/api/chat/" + id + "/messages?limit=abc", "Bearer " + token), 400, "invalid_input");
        assertError(get("/api/chat/" + id + "/messages?limit=0", "Bearer " + token), 400, "invalid_input");
    }

    @Test
    void privateMessagesOfTheCallersConversation() throws Exception {
        post("/api/register", "{\"email\":\"frank@example.com\",\"password\":\"password-1\"}", null);
        String user = engine.authenticate(token);
        try (ChatConnection connection = engine.connect(user)) {
            connection.sendPrivateMessage("frank@example.com", "hello frank", null).toCompletableFuture().join();
        }
        JsonNode messages = awaitMessages("/api/dm/frank@example.com/messages", 1);
        assertThat(messages.get(0).get("message_text").asText()).isEqualTo("hello frank");
        assertThat(messages.get(0).get("sender_mail").asText()).isEqualTo(user);
        assertThat(messages.get(0).get("is_event").asBoolean()).isFalse();
    }

    // ---- refusals of the backends ----

    @Test
    void accessDeniedGets403() throws Exception {
        long id = post("/api/chat", "{\"name\":\"forbidden\"}", "Bearer " + token).json.get("id").asLong();
        assertError(get("/api/chat/" + id + "/messages", "Bearer " + token), 403, "forbidden");
    }

    @Test
    void rateLimitedGets429() throws Exception {
        assertError(post("/api/chat", "{\"name\":\"too-fast\"}", "Bearer " + token), 429, "rate_limited");
    }

    @Test
    void backendOutageGets503() throws Exception {
        assertError(post("/api/register", "{\"email\":\"down@example.com\",\"password\":\"password-1\"}", null),
                503, "unavailable");
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
        assertError(post("/api/login", "{\"email\":\"a@example.com\",\"password\":{\"x\":1}}", null), 400, "invalid_input");
        assertError(post("/api/chat", "{\"name\":[\"a\"]}", "Bearer " + token), 400, "invalid_input");
    }

    @Test
    void missingBodyGets400() throws Exception {
        assertError(send(HttpRequest.newBuilder(uri("/api/login")).header("Content-Type", JSON_TYPE)
                .POST(HttpRequest.BodyPublishers.noBody())), 400, "invalid_input");
    }

    @Test
    void unsupportedMediaTypeGets415() throws Exception {
        assertError(send(HttpRequest.newBuilder(uri("/api/login")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("email=a"))), 415, "unsupported_media_type");
        assertError(send(HttpRequest.newBuilder(uri("/api/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=a&password=b"))), 415, "unsupported_media_type");
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

    // ---- helpers ----

    private JsonNode awaitMessages(String path, int atLeast) {
        // history is written by the persister shortly after the bus acknowledged the send
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            Response r = get(path, "Bearer " + token);
            assertThat(r.status).isEqualTo(200);
            return r.json;
        }, json -> json.size() >= atLeast);
    }

    private static void assertError(Response r, int status, String code) {
        assertThat(r.status).as("status of %s", r.body).isEqualTo(status);
        assertThat(r.contentType).startsWith(JSON_TYPE);
        assertThat(r.json.get("code").asText()).isEqualTo(code);
        assertThat(r.json.get("error").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Response post(String path, String body, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", JSON_TYPE)
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
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body,
                body.isEmpty() ? JSON.nullNode() : JSON.readTree(body));
    }

    private record Response(int status, String contentType, String body, JsonNode json) {
    }

    /** A minimal host: the auto-configuration plus stores that refuse some requests on purpose. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        UserStore refusingUserStore() {
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
            };
        }

        @Bean
        RoomStore refusingRoomStore() {
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

        @Bean
        HistoryStore refusingHistoryStore() {
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
}
