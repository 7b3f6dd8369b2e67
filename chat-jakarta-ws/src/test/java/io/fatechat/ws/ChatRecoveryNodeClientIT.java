package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fatechat.core.AckPoint;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.RecoveryOptions;
import io.fatechat.core.memory.InMemoryBusHub;
import io.fatechat.core.memory.InMemoryConversationStore;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryRecoverySessionStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection state recovery with the stock npm {@code socket.io-client} v4 ({@code src/test/node/recovery-scenario.js}):
 * a client whose transport drops while another user sends reconnects with {@code recovered === true}, gets every
 * missed message once and in order, and is back in its room; on the same node and on another node of the same
 * deployment (two engines sharing a bus and every store); and past the window it gets a fresh session.
 */
class ChatRecoveryNodeClientIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(120);
    private static final Path NODE_DIR =
            Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("src/test/node");

    private final List<ChatTestServer> servers = new ArrayList<>();
    private final InMemoryBusHub hub = new InMemoryBusHub();
    private final InMemoryPresenceStore presence = new InMemoryPresenceStore();
    private final InMemoryHistoryStore history = new InMemoryHistoryStore();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final InMemoryRoomStore rooms = new InMemoryRoomStore();
    private final InMemoryConversationStore conversations = new InMemoryConversationStore();
    private final InMemoryRecoverySessionStore sessions = new InMemoryRecoverySessionStore();

    @AfterEach
    void stop() throws Exception {
        for (ChatTestServer server : servers) {
            server.close();
        }
    }

    /** A node of one deployment: its own bus endpoint, the shared stores. */
    private ChatTestServer node(String id, RecoveryOptions recovery) throws Exception {
        Consumer<ChatEngine.Builder> shared = b -> b.nodeId(id)
                .messageBus(new InMemoryMessageBus(hub, id))
                .ackPoint(AckPoint.BUS)
                .presenceStore(presence)
                .historyStore(history)
                .userStore(users)
                .roomStore(rooms)
                .conversationStore(conversations)
                .recoverySessionStore(sessions)
                .recovery(recovery);
        ChatTestServer server = ChatTestServer.start(config -> {}, shared);
        servers.add(server);
        return server;
    }

    private static RecoveryOptions window(Duration window) {
        return RecoveryOptions.DEFAULTS.withWindow(window);
    }

    @Test
    void websocketRecoversOnTheSameNode() throws Exception {
        ChatTestServer a = node("a", window(Duration.ofHours(1)));
        assertThat(run(a, null, "websocket", "recovered", 0).path("steps").toString())
                .contains("replayed", "backInRoom");
    }

    @Test
    void pollingRecoversOnTheSameNode() throws Exception {
        ChatTestServer a = node("a", window(Duration.ofHours(1)));
        assertThat(run(a, null, "polling", "recovered", 0).path("steps").toString())
                .contains("replayed", "backInRoom");
    }

    @Test
    void websocketRecoversOnTheOtherNode() throws Exception {
        ChatTestServer a = node("a", window(Duration.ofHours(1)));
        ChatTestServer b = node("b", window(Duration.ofHours(1)));
        assertThat(run(a, b, "websocket", "recovered", 0).path("steps").toString())
                .contains("replayed", "backInRoom");
    }

    @Test
    void pollingRecoversOnTheOtherNode() throws Exception {
        ChatTestServer a = node("a", window(Duration.ofHours(1)));
        ChatTestServer b = node("b", window(Duration.ofHours(1)));
        assertThat(run(a, b, "polling", "recovered", 0).path("steps").toString())
                .contains("replayed", "backInRoom");
    }

    @Test
    void aClientAwayPastTheWindowGetsAFreshSession() throws Exception {
        ChatTestServer a = node(
                "a",
                new RecoveryOptions(true, Duration.ofSeconds(1), Duration.ZERO, RecoveryOptions.DEFAULT_MAX_REPLAY));
        assertThat(run(a, null, "websocket", "fresh", 2500).path("steps").toString())
                .contains("fresh");
    }

    private JsonNode run(ChatTestServer server, ChatTestServer reconnectTo, String mode, String expect, int waitAwayMs)
            throws Exception {
        ObjectNode config = JSON.createObjectNode()
                .put("url", server.url())
                .put("mode", mode)
                .put("expect", expect)
                .put("waitAwayMs", waitAwayMs)
                .put("room", server.createRoom("Recovery " + mode + " " + expect));
        if (reconnectTo != null) {
            config.put("reconnectUrl", reconnectTo.url());
        }
        ObjectNode people = config.putObject("users");
        for (String name : List.of("alice", "bob")) {
            String email = name + "-" + mode + "-" + expect + "@example.com";
            people.putObject(name).put("email", email).put("token", server.register(email));
        }
        Path stdout = Files.createTempFile("recovery-scenario", ".out");
        Path stderr = Files.createTempFile("recovery-scenario", ".err");
        try {
            String nodeBinary = System.getenv().getOrDefault("FATECHAT_NODE", "node");
            Process process = new ProcessBuilder(nodeBinary, "recovery-scenario.js", config.toString())
                    .directory(NODE_DIR.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            boolean exited;
            try {
                exited = process.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertThat(exited)
                    .as("node exited; stdout: %s; stderr: %s", out, err)
                    .isTrue();
            String lastLine =
                    out.strip().lines().reduce((first, second) -> second).orElse("{}");
            JsonNode result = JSON.readTree(lastLine);
            assertThat(result.path("ok").asBoolean())
                    .as("result: %s; stderr: %s", out, err)
                    .isTrue();
            assertThat(process.exitValue()).isZero();
            return result;
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
