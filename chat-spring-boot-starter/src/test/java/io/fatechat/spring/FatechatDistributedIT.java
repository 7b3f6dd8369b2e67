package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.kafka.KafkaMessageBus;
import io.fatechat.mysql.JdbcHistoryStore;
import io.fatechat.mysql.JdbcUserStore;
import io.fatechat.redis.RedisPresenceStore;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.UserStore;
import io.fatechat.testing.InJvmKafkaCluster;
import io.fatechat.testing.JdbcServer;
import io.fatechat.testing.TestServices;
import io.fatechat.testing.ThrowawayDatabase;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The distributed mode from configuration alone: two Spring Boot nodes with the starter on a real Kafka, Redis and
 * MariaDB, found by {@link TestServices} (FATECHAT_* addresses, containers where Docker is, else the local services
 * and a KRaft broker in this JVM).
 * A user registered on one node logs in on the other; a message sent on node A reaches a client on node B, who
 * sees the sender online; the history written through Kafka is readable on both.
 */
class FatechatDistributedIT {

    private static String redisUrl;
    private static JdbcServer mysql;
    private static String kafkaBootstrapServers;
    private static InJvmKafkaCluster ownKafka;
    private static ThrowawayDatabase database;

    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void services() throws Exception {
        redisUrl = TestServices.redisUrl();
        mysql = TestServices.mariaDb();
        kafkaBootstrapServers = TestServices.kafkaBootstrapServers()
                .orElseGet(() -> (ownKafka = InJvmKafkaCluster.start()).bootstrapServers());
        database = ThrowawayDatabase.create(mysql);
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (database != null) {
            database.close();
        }
        if (ownKafka != null) {
            ownKafka.close();
        }
    }

    @AfterEach
    void stopNodes() {
        sockets.forEach(Socket::close);
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void twoNodesShareUsersMessagesPresenceAndHistory() throws Exception {
        String topics = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String keyPrefix = "fatechat-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        ConfigurableApplicationContext a = node("node-a", topics, keyPrefix);
        ConfigurableApplicationContext b = node("node-b", topics, keyPrefix);

        for (ConfigurableApplicationContext node : List.of(a, b)) {
            assertThat(node.getBean(MessageBus.class)).isInstanceOf(KafkaMessageBus.class);
            assertThat(node.getBean(PresenceStore.class)).isInstanceOf(RedisPresenceStore.class);
            assertThat(node.getBean(UserStore.class)).isInstanceOf(JdbcUserStore.class);
            assertThat(node.getBean(HistoryStore.class)).isInstanceOf(JdbcHistoryStore.class);
            assertThat(node.getBean(RedisRecentCacheDecorator.class)).isNotNull();
            for (String indicator : List.of(
                    "fatechatKafkaHealthIndicator", "fatechatRedisHealthIndicator", "fatechatJdbcHealthIndicator")) {
                assertThat(node.getBean(indicator, HealthIndicator.class)
                                .health()
                                .getStatus()
                                .getCode())
                        .as(indicator)
                        .isEqualTo("UP");
            }
        }

        String aliceToken = new JSONObject(
                        post(a, "/api/register", "{\"email\":\"alice@example.com\",\"password\":\"password-1\"}", null))
                .getString("token");
        post(a, "/api/register", "{\"email\":\"bob@example.com\",\"password\":\"password-2\"}", null);
        String bobToken = new JSONObject(
                        post(b, "/api/login", "{\"email\":\"bob@example.com\",\"password\":\"password-2\"}", null))
                .getString("token");
        long roomId = new JSONObject(post(a, "/api/chat", "{\"name\":\"across\"}", aliceToken)).getLong("id");
        assertThat(get(b, "/api/chat", bobToken)).contains("\"across\"");

        Socket alice = connect(a, aliceToken);
        Socket bob = connect(b, bobToken);
        List<String> bobReceived = new CopyOnWriteArrayList<>();
        AtomicReference<JSONArray> bobOnline = new AtomicReference<>(new JSONArray());
        bob.on("receiveMessage", args -> bobReceived.add(((JSONObject) args[0]).optString("messageText")));
        bob.on("onlineUsers", args -> bobOnline.set(((JSONObject) args[0]).optJSONArray("users")));
        join(alice, "across");
        join(bob, "across");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> bobOnline.get().toString().contains("alice@example.com"));

        alice.emit("sendMessage", new JSONObject(Map.of("roomName", "across", "message", "hello across nodes")));
        await().atMost(Duration.ofSeconds(20)).until(() -> bobReceived.contains("hello across nodes"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get(b, "/api/chat/" + roomId + "/messages", bobToken)
                .contains("hello across nodes"));
        assertThat(get(a, "/api/chat/" + roomId + "/messages", aliceToken)).contains("hello across nodes");
    }

    /**
     * Issue 17: a client whose connection drops on node A while Bob sends reconnects to node B with the pid and
     * offset it saw (as socket.io-client does; the Java client needs them put in its auth) and is recovered: the same
     * pid, every missed message once and in order, read from the shared history, and back in the room.
     */
    @Test
    void aClientDroppedOnOneNodeRecoversOnTheOther() throws Exception {
        String topics = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String keyPrefix = "fatechat-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        ConfigurableApplicationContext a = node("node-a", topics, keyPrefix);
        ConfigurableApplicationContext b = node("node-b", topics, keyPrefix);
        assertThat(a.getBean(io.fatechat.spi.RecoverySessionStore.class))
                .isInstanceOf(io.fatechat.redis.RedisRecoverySessionStore.class);

        String carolToken = new JSONObject(
                        post(a, "/api/register", "{\"email\":\"erin@example.com\",\"password\":\"password-3\"}", null))
                .getString("token");
        String daveToken = new JSONObject(
                        post(a, "/api/register", "{\"email\":\"frank@example.com\",\"password\":\"password-4\"}", null))
                .getString("token");
        long roomId = new JSONObject(post(a, "/api/chat", "{\"name\":\"recovering\"}", carolToken)).getLong("id");

        AtomicReference<String> pid = new AtomicReference<>();
        List<Object[]> carolGot = new CopyOnWriteArrayList<>();
        Socket carol = connect(a, Map.of("token", carolToken), pid, carolGot);
        Socket dave = connect(b, daveToken);
        join(carol, "recovering");
        join(dave, "recovering");
        request(dave, "sendMessage", new JSONObject(Map.of("roomName", "recovering", "message", "before")));
        await().atMost(Duration.ofSeconds(20)).until(() -> texts(carolGot).contains("before"));
        Object[] last = carolGot.get(carolGot.size() - 1);
        String offset = (String) last[last.length - 1];

        var engineField = io.socket.client.Manager.class.getDeclaredField("engine");
        engineField.setAccessible(true);
        ((io.socket.engineio.client.Socket) engineField.get(carol.io())).close(); // a network drop
        await().atMost(Duration.ofSeconds(15)).until(() -> !carol.connected());
        List<String> missed = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            missed.add(request(
                            dave,
                            "sendMessage",
                            new JSONObject(Map.of("roomName", "recovering", "message", "missed " + i)))
                    .getString("id"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> get(b, "/api/chat/" + roomId + "/messages", daveToken)
                .contains("missed 3"));

        AtomicReference<String> answered = new AtomicReference<>();
        List<Object[]> backGot = new CopyOnWriteArrayList<>();
        connect(b, Map.of("token", carolToken, "pid", pid.get(), "offset", offset), answered, backGot);

        assertThat(answered.get())
                .as("recovered: the CONNECT answer repeats the pid")
                .isEqualTo(pid.get());
        await().atMost(Duration.ofSeconds(20)).until(() -> chatIds(backGot).size() >= 3);
        assertThat(chatIds(backGot)).containsExactlyElementsOf(missed);
        String after = request(
                        dave, "sendMessage", new JSONObject(Map.of("roomName", "recovering", "message", "after")))
                .getString("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> chatIds(backGot).contains(after));
        // node B's bus consumer may lag behind history: a late live event of "before" or of a replayed message
        // must not reach the recovered client again
        List<String> expected = new ArrayList<>(missed);
        expected.add(after);
        assertThat(chatIds(backGot)).as("every message once, in order").containsExactlyElementsOf(expected);
    }

    private static List<String> texts(List<Object[]> events) {
        return events.stream()
                .map(args -> ((JSONObject) args[0]).optString("messageText"))
                .toList();
    }

    private static List<String> chatIds(List<Object[]> events) {
        return events.stream()
                .map(args -> (JSONObject) args[0])
                .filter(m -> !m.optBoolean("isEvent"))
                .map(m -> m.optString("id"))
                .toList();
    }

    /** Connects with {@code auth}, recording the pid of the CONNECT answer and every receiveMessage's arguments. */
    private Socket connect(
            ConfigurableApplicationContext node,
            Map<String, String> auth,
            AtomicReference<String> pid,
            List<Object[]> received) {
        Socket socket = IO.socket(
                URI.create("http://127.0.0.1:" + port(node)),
                IO.Options.builder()
                        .setTransports(new String[] {"websocket"})
                        .setReconnection(false)
                        .setForceNew(true)
                        .setAuth(auth)
                        .build());
        sockets.add(socket);
        socket.io().on(io.socket.client.Manager.EVENT_PACKET, args -> {
            io.socket.parser.Packet<?> packet = (io.socket.parser.Packet<?>) args[0];
            if (packet.type == io.socket.parser.Parser.CONNECT && packet.data instanceof JSONObject answer) {
                pid.set(answer.optString("pid", null));
            }
        });
        socket.on("receiveMessage", received::add);
        socket.connect();
        await().atMost(Duration.ofSeconds(15)).until(socket::connected);
        return socket;
    }

    /**
     * Issue 18's walk-through: Alice sends 3 messages on node A; Bob, with a socket on each node, sees 3 unread
     * on both; Bob marks read on node B; Alice gets messageRead, both of Bob's sockets 0, and a restarted node B
     * still says 0. The REST and socket forms agree at each step.
     */
    @Test
    void unreadCountsAndReadReceiptsAcrossNodesAndARestart() throws Exception {
        String topics = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String keyPrefix = "fatechat-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        ConfigurableApplicationContext a = node("conv-a", topics, keyPrefix);
        ConfigurableApplicationContext b = node("conv-b", topics, keyPrefix);
        String aliceToken = new JSONObject(
                        post(a, "/api/register", "{\"email\":\"carla@example.com\",\"password\":\"password-1\"}", null))
                .getString("token");
        String bobToken = new JSONObject(
                        post(a, "/api/register", "{\"email\":\"dave@example.com\",\"password\":\"password-2\"}", null))
                .getString("token");
        post(a, "/api/chat", "{\"name\":\"unread\"}", aliceToken);

        Socket alice = connect(a, aliceToken);
        Socket bobOnA = connect(a, bobToken);
        Socket bobOnB = connect(b, bobToken);
        List<JSONObject> aliceReads = record(alice, "messageRead");
        List<JSONObject> bobUnreadA = record(bobOnA, "unreadCount");
        List<JSONObject> bobUnreadB = record(bobOnB, "unreadCount");
        join(alice, "unread");
        join(bobOnB, "unread");

        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ids.add(request(alice, "sendMessage", new JSONObject(Map.of("roomName", "unread", "message", "m" + i)))
                    .getString("id"));
        }

        for (List<JSONObject> unread : List.of(bobUnreadA, bobUnreadB)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> unread.stream()
                    .anyMatch(e -> "unread".equals(e.optString("roomName")) && e.optLong("unreadCount") == 3));
        }
        JSONObject bySocket = request(bobOnA, "getConversations", new JSONObject())
                .getJSONArray("conversations")
                .getJSONObject(0);
        JSONObject byRest = new JSONObject(get(b, "/api/conversations", bobToken))
                .getJSONArray("conversations")
                .getJSONObject(0);
        assertThat(bySocket.getLong("unreadCount")).isEqualTo(3);
        assertThat(json(bySocket)).as("socket and REST").isEqualTo(json(byRest));
        assertThat(bySocket.getJSONObject("lastMessage").getString("id")).isEqualTo(ids.get(2));

        JSONObject marked = request(
                        bobOnB, "markRead", new JSONObject(Map.of("roomName", "unread", "messageId", ids.get(2))))
                .getJSONObject("conversation");

        assertThat(marked.getLong("unreadCount")).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> aliceReads.stream()
                .anyMatch(e -> "dave@example.com".equals(e.optString("userMail"))
                        && ids.get(2).equals(e.optString("messageId"))));
        for (List<JSONObject> unread : List.of(bobUnreadA, bobUnreadB)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            !unread.isEmpty() && unread.get(unread.size() - 1).optLong("unreadCount", -1) == 0);
        }
        String conversationId = marked.getString("id");
        String again = post(
                a,
                "/api/conversations/"
                        + java.net.URLEncoder.encode(conversationId, java.nio.charset.StandardCharsets.UTF_8)
                                .replace("+", "%20")
                        + "/read",
                new JSONObject(Map.of("messageId", ids.get(0))).toString(),
                bobToken);
        assertThat(new JSONObject(again).getString("readMessageId"))
                .as("an older marker never moves it back")
                .isEqualTo(ids.get(2));

        bobOnB.close();
        b.close();
        nodes.remove(b);
        ConfigurableApplicationContext restarted = node("conv-b", topics, keyPrefix);
        Socket bobAfter = connect(restarted, bobToken);
        JSONObject afterSocket = request(bobAfter, "getConversations", new JSONObject())
                .getJSONArray("conversations")
                .getJSONObject(0);
        JSONObject afterRest = new JSONObject(get(restarted, "/api/conversations", bobToken))
                .getJSONArray("conversations")
                .getJSONObject(0);
        assertThat(afterSocket.getLong("unreadCount")).isZero();
        assertThat(afterSocket.getString("readMessageId")).isEqualTo(ids.get(2));
        assertThat(json(afterSocket)).as("socket and REST").isEqualTo(json(afterRest));
    }

    private static com.fasterxml.jackson.databind.JsonNode json(JSONObject object) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(object.toString());
    }

    private static List<JSONObject> record(Socket socket, String event) {
        List<JSONObject> received = new CopyOnWriteArrayList<>();
        socket.on(event, args -> received.add((JSONObject) args[0]));
        return received;
    }

    private static JSONObject request(Socket socket, String event, JSONObject payload) {
        AtomicReference<JSONObject> ack = new AtomicReference<>();
        socket.emit(event, payload, (Ack) args -> ack.set((JSONObject) args[0]));
        await().atMost(Duration.ofSeconds(15)).until(() -> ack.get() != null);
        assertThat(ack.get().optBoolean("ok")).as(ack.get().toString()).isTrue();
        return ack.get();
    }

    private ConfigurableApplicationContext node(String nodeId, String topics, String keyPrefix) {
        String jdbcUrl = database.url();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .run(
                        "--server.port=0",
                        "--fatechat.node-id=" + nodeId,
                        "--fatechat.auth.bcrypt-cost=4",
                        "--fatechat.auth.token-secret=distributed-it-secret-of-at-least-32-bytes",
                        "--fatechat.kafka.bootstrap-servers=" + kafkaBootstrapServers,
                        "--fatechat.kafka.messages-topic=" + topics + "-messages",
                        "--fatechat.kafka.events-topic=" + topics + "-events",
                        "--fatechat.kafka.partitions=3",
                        "--fatechat.kafka.replication-factor=1",
                        "--fatechat.redis.url=" + redisUrl,
                        "--fatechat.redis.key-prefix=" + keyPrefix,
                        "--fatechat.jdbc.url=" + jdbcUrl,
                        "--fatechat.jdbc.username=" + mysql.user(),
                        "--fatechat.jdbc.password=" + mysql.password());
        nodes.add(context);
        return context;
    }

    private static int port(ConfigurableApplicationContext node) {
        return ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    private Socket connect(ConfigurableApplicationContext node, String token) {
        Socket socket = IO.socket(
                URI.create("http://127.0.0.1:" + port(node)),
                IO.Options.builder()
                        .setTransports(new String[] {"websocket"})
                        .setReconnection(false)
                        .setAuth(Map.of("token", token))
                        .build());
        sockets.add(socket);
        socket.connect();
        await().atMost(Duration.ofSeconds(15)).until(socket::connected);
        return socket;
    }

    private static void join(Socket socket, String room) {
        AtomicReference<JSONObject> ack = new AtomicReference<>();
        socket.emit("joinRoom", new JSONObject(Map.of("roomName", room)), (Ack) args -> ack.set((JSONObject) args[0]));
        await().atMost(Duration.ofSeconds(15)).until(() -> ack.get() != null);
        assertThat(ack.get().optBoolean("ok")).as(ack.get().toString()).isTrue();
    }

    private String post(ConfigurableApplicationContext node, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(node) + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private String get(ConfigurableApplicationContext node, String path, String token) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(node) + path))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}
}
