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
import io.socket.client.Socket;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
    private final NodeClients clients = new NodeClients();

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
        clients.close();
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

        String carolToken = clients.register(port(a), "erin@example.com", "password-3");
        String daveToken = clients.register(port(a), "frank@example.com", "password-4");
        long roomId = new JSONObject(post(a, "/api/chat", "{\"name\":\"recovering\"}", carolToken)).getLong("id");

        AtomicReference<String> pid = new AtomicReference<>();
        List<Object[]> carolGot = new CopyOnWriteArrayList<>();
        Socket carol = clients.connect(port(a), Map.of("token", carolToken), pid, carolGot);
        Socket dave = connect(b, daveToken);
        join(carol, "recovering");
        join(dave, "recovering");
        request(dave, "sendMessage", new JSONObject(Map.of("roomName", "recovering", "message", "before")));
        await().atMost(Duration.ofSeconds(20)).until(() -> texts(carolGot).contains("before"));
        Object[] last = carolGot.get(carolGot.size() - 1);
        String offset = (String) last[last.length - 1];

        NodeClients.drop(carol); // a network drop
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

        clients.assertRecovers(port(b), carolToken, pid.get(), offset, dave, "recovering", missed);
    }

    /**
     * Issue 17 with the stock npm client: on node A, dropped while Bob on node B sends (room and private messages),
     * it reconnects to node B of the Kafka pair and is recovered, over websocket and over polling.
     */
    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void theNpmClientRecoversOnTheOtherNodeOfAKafkaPair(String mode) throws Exception {
        String topics = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String keyPrefix = "fatechat-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        ConfigurableApplicationContext a = node("npm-a", topics, keyPrefix);
        ConfigurableApplicationContext b = node("npm-b", topics, keyPrefix);
        String alice = "alice-npm-" + mode + "@example.com";
        String bob = "bob-npm-" + mode + "@example.com";
        String aliceToken = clients.register(port(a), alice, "password-1");
        String bobToken = clients.register(port(a), bob, "password-2");
        post(a, "/api/chat", "{\"name\":\"npm-" + mode + "\"}", aliceToken);

        clients.npmRecovers(
                mode,
                port(a),
                port(b),
                port(b),
                "npm-" + mode,
                Map.of("alice", new String[] {alice, aliceToken}, "bob", new String[] {bob, bobToken}),
                null);
    }

    private static List<String> texts(List<Object[]> events) {
        return events.stream()
                .map(args -> ((JSONObject) args[0]).optString("messageText"))
                .toList();
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
        return NodeClients.request(socket, event, payload);
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
        return clients.connect(port(node), Map.of("token", token));
    }

    private static void join(Socket socket, String room) {
        NodeClients.join(socket, room);
    }

    private String post(ConfigurableApplicationContext node, String path, String body, String token) throws Exception {
        return clients.post(port(node), path, body, token);
    }

    private String get(ConfigurableApplicationContext node, String path, String token) throws Exception {
        return clients.get(port(node), path, token);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}
}
