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
import io.fatechat.testing.NodeScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Connection state recovery with the stock npm {@code socket.io-client} v4 ({@code src/test/node/recovery-scenario.js}):
 * a client whose transport drops while another user sends reconnects with {@code recovered === true}, gets every
 * missed message once and in order, and is back in its room; on the same node and on another node of the same
 * deployment (two engines sharing a bus and every store); and past the window it gets a fresh session.
 */
class ChatRecoveryNodeClientIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(120);
    private static final Path NODE_DIR = NodeScenario.directory(Path.of(System.getProperty("basedir", "")));

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

    @ParameterizedTest(name = "{0}, reconnecting to the {1} node")
    @CsvSource({"websocket, same", "polling, same", "websocket, other", "polling, other"})
    void recovers(String mode, String reconnectTo) throws Exception {
        ChatTestServer a = node("a", window(Duration.ofHours(1)));
        ChatTestServer b = reconnectTo.equals("other") ? node("b", window(Duration.ofHours(1))) : null;
        assertThat(run(a, b, mode, "recovered", 0).path("steps").toString()).contains("replayed", "backInRoom");
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
        NodeScenario.Result result =
                NodeScenario.run(NODE_DIR, "recovery-scenario.js", config.toString(), Map.of(), PROCESS_TIMEOUT);
        assertThat(result.exitCode()).as("%s", result).isZero();
        JsonNode outcome = JSON.readTree(result.lastLine());
        assertThat(outcome.path("ok").asBoolean()).as("%s", result).isTrue();
        return outcome;
    }
}
