package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.ChatConnection;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatEventSink;
import io.fatechat.core.memory.InMemoryBusHub;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two chat nodes share Redis presence (and the Redis recent cache) and an in-process bus. Node A stops
 * renewing its lease without cleaning up, as after kill -9: its users drop out of node B's online users within
 * the lease TTL, and node B's clients are told.
 */
class NodeDeathIT {

    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final byte[] SECRET = "a node-death test secret of 32+ bytes".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    final RedisStoreFixture redis = RedisStoreFixture.withPrefix("node-death", b -> b.leaseTtl(LEASE));

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (RuntimeException e) {
                // node A's store is closed already; its engine's removeNode fails, as a dead node's would
            }
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    void usersOfADeadNodeDisappearFromTheOtherNodeAndItsClientsAreTold() {
        InMemoryBusHub hub = new InMemoryBusHub();
        InMemoryUserStore users = new InMemoryUserStore();
        InMemoryRoomStore rooms = new InMemoryRoomStore();
        InMemoryHistoryStore history = new InMemoryHistoryStore();
        RedisPresenceStore presenceA = closeLater(new RedisPresenceStore(redis.config()));
        RedisPresenceStore presenceB = closeLater(new RedisPresenceStore(redis.config()));
        ChatEngine nodeA = closeLater(node("node-a", hub, users, rooms, history, presenceA));
        ChatEngine nodeB = closeLater(node("node-b", hub, users, rooms, history, presenceB));
        Sink sinkB = new Sink();
        closeLater(nodeB.attach(sinkB));

        nodeA.register("alice@example.com", "alice-password-1");
        nodeA.register("bob@example.com", "bob-password-1");
        nodeA.createRoom("alice@example.com", "lobby");
        ChatConnection alice = nodeA.connect("alice@example.com");
        ChatConnection bob = nodeB.connect("bob@example.com");
        alice.joinRoom("lobby");
        bob.joinRoom("lobby");
        assertThat(bob.onlineUsersIn("lobby").users()).containsExactly("alice@example.com", "bob@example.com");

        // messages go through the Redis recent cache on their way to history
        awaitSend(bob.sendMessage("lobby", "hello from b", "b-1"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(bob.recentMessages("lobby", 10))
                .extracting(ChatMessage::text)
                .contains("hello from b"));

        // kill -9 of node A: its Redis connection goes, its heartbeat stops, nobody calls removeNode
        presenceA.close();

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertThat(bob.onlineUsersIn("lobby").users()).containsExactly("bob@example.com");
                    assertThat(sinkB.lastOnlineUsers("lobby"))
                            .as("node B's clients were told")
                            .containsExactly("bob@example.com");
                });
        assertThat(bob.recentMessages("lobby", 10))
                .extracting(ChatMessage::text)
                .contains("hello from b");
    }

    private ChatEngine node(
            String id,
            InMemoryBusHub hub,
            InMemoryUserStore users,
            InMemoryRoomStore rooms,
            InMemoryHistoryStore history,
            RedisPresenceStore presence) {
        RedisRecentMessageCache cache = closeLater(new RedisRecentMessageCache(history, redis.config()));
        return ChatEngine.builder()
                .nodeId(id)
                .messageBus(closeLater(new InMemoryMessageBus(hub, id)))
                .userStore(users)
                .roomStore(rooms)
                .historyStore(cache)
                .presenceStore(presence)
                .presenceLeaseTtl(LEASE)
                .tokenSecret(SECRET)
                .bcryptCost(4)
                .build();
    }

    private static void awaitSend(java.util.concurrent.CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("send did not complete", e);
        }
    }

    /** Records the online-users updates a node delivers to its clients. */
    private static final class Sink implements ChatEventSink {
        private record Update(String room, List<String> users) {}

        private final List<Update> updates = new CopyOnWriteArrayList<>();

        @Override
        public void roomMessage(ChatMessage message) {}

        @Override
        public void privateMessage(ChatMessage message) {}

        @Override
        public void onlineUsers(String room, List<String> users) {
            updates.add(new Update(room, List.copyOf(users)));
        }

        @Override
        public void typing(String room, String user, String originConnectionId) {}

        List<String> lastOnlineUsers(String room) {
            List<String> last = null;
            for (Update u : updates) {
                if (u.room().equals(room)) {
                    last = u.users();
                }
            }
            return last;
        }
    }
}
