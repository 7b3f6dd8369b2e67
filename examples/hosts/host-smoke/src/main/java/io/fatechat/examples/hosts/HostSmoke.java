package io.fatechat.examples.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The smoke every host application runs against itself: a host's integration test extends this class and says
 * where the server listens (the host runs Actuator, showing health components). REST through the JDK's HTTP client, Socket.IO through the stock Java client, one user
 * on WebSocket and one on HTTP long-polling.
 */
public abstract class HostSmoke {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** The server's base address, e.g. {@code http://localhost:8080}. */
    protected abstract URI baseUri();

    @AfterEach
    void closeSockets() {
        sockets.forEach(Socket::close);
    }

    @Test
    void registerLoginRoomChatPrivateMessageOnlineUsersAndRecentMessages() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String alice = "alice-" + run + "@example.com";
        String bob = "bob-" + run + "@example.com";
        String room = "smoke-" + run;

        String aliceToken = post("/api/register", null, Map.of("email", alice, "password", "alice-password"))
                .path("token")
                .asText();
        post("/api/register", null, Map.of("email", bob, "password", "bob-password"));
        String bobToken = post("/api/login", null, Map.of("email", bob, "password", "bob-password"))
                .path("token")
                .asText();
        long roomId =
                post("/api/chat", aliceToken, Map.of("name", room)).path("id").asLong();

        Recorder aliceWs = connect(aliceToken, "websocket");
        Recorder bobPolling = connect(bobToken, "polling");

        assertThat(aliceWs.request("joinRoom", Map.of("roomName", room))
                        .path("ok")
                        .asBoolean())
                .isTrue();
        assertThat(bobPolling
                        .request("joinRoom", Map.of("roomName", room))
                        .path("ok")
                        .asBoolean())
                .isTrue();
        bobPolling.awaitEvent(
                "onlineUsers",
                users -> users.path("roomName").asText().equals(room)
                        && strings(users.path("users")).containsAll(List.of(alice, bob)));

        JsonNode sent = aliceWs.request("sendMessage", Map.of("roomName", room, "message", "hello over websocket"));
        assertThat(sent.path("ok").asBoolean()).as("send ack %s", sent).isTrue();
        bobPolling.awaitEvent(
                "receiveMessage",
                m -> m.path("messageText").asText().equals("hello over websocket")
                        && m.path("userMail").asText().equals(alice));

        JsonNode reply = bobPolling.request("sendMessage", Map.of("roomName", room, "message", "hello over polling"));
        assertThat(reply.path("ok").asBoolean()).isTrue();
        aliceWs.awaitEvent("receiveMessage", m -> m.path("messageText").asText().equals("hello over polling"));

        JsonNode dm = aliceWs.request("sendPrivateMessage", Map.of("to", bob, "message", "psst"));
        assertThat(dm.path("ok").asBoolean()).as("private message ack %s", dm).isTrue();
        bobPolling.awaitEvent(
                "privateMessage",
                m -> m.path("from").asText().equals(alice)
                        && m.path("messageText").asText().equals("psst"));

        aliceWs.emit("getOnlineUsers", Map.of("roomName", room));
        aliceWs.awaitEvent("onlineUsers", users -> users.path("users").size() == 2);

        aliceWs.emit("getRecentMessages", Map.of("roomName", room, "count", 10));
        aliceWs.awaitEvent("recentMessages", list -> texts(list)
                .containsAll(List.of("hello over websocket", "hello over polling")));

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                        texts(getArray("/api/chat/" + roomId + "/messages?limit=10", bobToken), "message_text"))
                .contains("hello over websocket", "hello over polling"));
    }

    /**
     * A polling-only user whose process dies while its poll is parked goes offline for the room at once, as with
     * the Node.js server, not after the ping timeout (issue 12, row 15): the container never reports the closed
     * connection, the server's noop probes of parked polls find it.
     */
    @Test
    void aPollingUserWhoseConnectionClosesGoesOfflineWithinTwoSeconds() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String alice = "alice-" + run + "@example.com";
        String carol = "carol-" + run + "@example.com";
        String room = "vanish-" + run;
        String aliceToken = post("/api/register", null, Map.of("email", alice, "password", "alice-password"))
                .path("token")
                .asText();
        String carolToken = post("/api/register", null, Map.of("email", carol, "password", "carol-password"))
                .path("token")
                .asText();
        post("/api/chat", aliceToken, Map.of("name", room));
        Recorder aliceWs = connect(aliceToken, "websocket");
        assertThat(aliceWs.request("joinRoom", Map.of("roomName", room))
                        .path("ok")
                        .asBoolean())
                .isTrue();
        RawPollingClient carolPolling = RawPollingClient.connect(baseUri(), carolToken);
        carolPolling.send("42[\"joinRoom\",{\"roomName\":\"" + room + "\"}]");
        aliceWs.awaitEvent("onlineUsers", users -> strings(users.path("users")).contains(carol));
        int seen = aliceWs.count("onlineUsers");

        carolPolling.vanishWhileParked();

        aliceWs.awaitEventAfter(
                seen,
                Duration.ofSeconds(2),
                "onlineUsers",
                users -> users.path("roomName").asText().equals(room)
                        && !strings(users.path("users")).contains(carol));
    }

    @Test
    void servesTheBrowserClientAsNodesServerDoes() throws Exception {
        HttpResponse<String> script = HTTP.send(
                HttpRequest.newBuilder(baseUri().resolve("/socket.io/socket.io.js"))
                        .timeout(TIMEOUT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("javascript"));
        assertThat(script.body()).contains("Socket.IO v4");
    }

    /** Whether the host runs Spring Boot Actuator; the plain-Java host has none. */
    protected boolean servesActuator() {
        return true;
    }

    /** The host runs Spring Boot Actuator with {@code management.endpoint.health.show-components=always}. */
    @Test
    void actuatorHealthListsTheFatechatBackends() throws Exception {
        Assumptions.assumeTrue(servesActuator(), "this host has no Spring Boot Actuator");
        HttpResponse<String> health = HTTP.send(
                HttpRequest.newBuilder(baseUri().resolve("/actuator/health"))
                        .timeout(TIMEOUT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode())
                .as("GET /actuator/health: %s", health.body())
                .isEqualTo(200);
        assertThat(parse(health.body())
                        .path("components")
                        .path("fatechatJdbc")
                        .path("status")
                        .asText())
                .as("fatechatJdbc in %s", health.body())
                .isEqualTo("UP");
    }

    private Recorder connect(String token, String transport) {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                .setTimeout(TIMEOUT.toMillis())
                .setTransports(new String[] {transport})
                .setUpgrade(false)
                .setAuth(Map.of("token", token))
                .build();
        Socket socket = IO.socket(baseUri(), options);
        sockets.add(socket);
        Recorder recorder = new Recorder(socket);
        CompletableFuture<Object> connected = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> connected.complete("connected"));
        socket.once(
                Socket.EVENT_CONNECT_ERROR,
                args -> connected.completeExceptionally(new AssertionError(
                        "connect error over " + transport + ": " + (args.length > 0 ? args[0] : ""))));
        socket.connect();
        connected.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        return recorder;
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(value -> strings.add(value.asText()));
        return strings;
    }

    private static List<String> texts(JsonNode messages) {
        return texts(messages, "messageText");
    }

    private static List<String> texts(JsonNode messages, String field) {
        List<String> texts = new ArrayList<>();
        messages.forEach(message -> texts.add(message.path(field).asText()));
        return texts;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private JsonNode post(String path, String token, Map<String, ?> body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri().resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JSONObject(body).toString()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("POST %s: %s", path, response.body())
                .isEqualTo(200);
        return parse(response.body());
    }

    private JsonNode getArray(String path, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(baseUri().resolve(path))
                        .timeout(TIMEOUT)
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(200);
        return parse(response.body());
    }

    /** A connected socket and every server event it received. */
    private static final class Recorder {

        private final Socket socket;
        private final Map<String, List<JsonNode>> events = new ConcurrentHashMap<>();

        Recorder(Socket socket) {
            this.socket = socket;
            for (String event :
                    List.of("receiveMessage", "recentMessages", "onlineUsers", "privateMessage", "chatError")) {
                List<JsonNode> received = new CopyOnWriteArrayList<>();
                events.put(event, received);
                socket.on(event, args -> received.add(args.length == 0 ? JSON.nullNode() : parse(args[0].toString())));
            }
        }

        JsonNode request(String event, Map<String, ?> payload) {
            CompletableFuture<JsonNode> ack = new CompletableFuture<>();
            socket.emit(event, new JSONObject(payload), (Ack)
                    replies -> ack.complete(replies.length == 0 ? JSON.nullNode() : parse(replies[0].toString())));
            return ack.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        }

        void emit(String event, Map<String, ?> payload) {
            socket.emit(event, new JSONObject(payload));
        }

        void awaitEvent(String event, Predicate<JsonNode> matches) {
            List<JsonNode> received = events.get(event);
            await().atMost(TIMEOUT).until(() -> received.stream().anyMatch(matches));
        }

        int count(String event) {
            return events.get(event).size();
        }

        /** Awaits an event after the first {@code seen} ones of its name. */
        void awaitEventAfter(int seen, Duration atMost, String event, Predicate<JsonNode> matches) {
            List<JsonNode> received = events.get(event);
            await().atMost(atMost).until(() -> received.subList(seen, received.size()).stream()
                    .anyMatch(matches));
        }
    }
}
