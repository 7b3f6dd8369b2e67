package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.PresenceStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A presence store that is briefly unreachable must not leave users online for good, nor break closing. */
class PresenceOutageTest {

    /** Refuses leaves and lease renewals while {@code down} is set. */
    static final class OutagePresenceStore implements PresenceStore {
        // A frozen clock: leases never lapse, so only the engine's retries can change presence here.
        final InMemoryPresenceStore delegate = new InMemoryPresenceStore(new MutableClock());
        final AtomicBoolean down = new AtomicBoolean();
        final java.util.Map<String, Integer> renewals = new java.util.concurrent.ConcurrentHashMap<>();

        private void check() {
            if (down.get()) {
                throw new BackendUnavailableException("redis", "connection refused", null);
            }
        }

        @Override
        public boolean join(String nodeId, String connectionId, String user, String room) {
            check();
            return delegate.join(nodeId, connectionId, user, room);
        }

        @Override
        public boolean leave(String connectionId, String room) {
            check();
            return delegate.leave(connectionId, room);
        }

        @Override
        public Set<String> leaveAll(String connectionId) {
            check();
            return delegate.leaveAll(connectionId);
        }

        @Override
        public List<String> onlineUsers(String room) {
            check();
            return delegate.onlineUsers(room);
        }

        @Override
        public void renewLease(String nodeId, Duration ttl) {
            check();
            delegate.renewLease(nodeId, ttl);
            renewals.merge(nodeId, 1, Integer::sum);
        }

        @Override
        public Set<String> expireLeases() {
            check();
            return delegate.expireLeases();
        }

        @Override
        public Set<String> removeNode(String nodeId) {
            check();
            return delegate.removeNode(nodeId);
        }
    }

    private final OutagePresenceStore presence = new OutagePresenceStore();
    private final RecordingSink sink = new RecordingSink();
    private final ChatEngine engine = TestEngines.builder()
            .presenceStore(presence)
            .presenceLeaseTtl(Duration.ofMillis(300))
            .build();

    @AfterEach
    void close() {
        presence.down.set(false);
        engine.close();
    }

    @Test
    void aLeaveThatFailsOnCloseIsRetriedUntilTheStoreIsBack() {
        engine.attach(sink);
        engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io");
        ChatConnection bob = engine.connect("bob@x.io");
        alice.joinRoom("General");
        bob.joinRoom("General");

        presence.down.set(true);
        alice.close();
        assertThat(engine.connectionCount()).isEqualTo(1);
        assertThat(presence.delegate.onlineUsers("General")).contains("alice@x.io");

        presence.down.set(false);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> presence.delegate.onlineUsers("General").equals(List.of("bob@x.io")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> List.of("bob@x.io").equals(sink.lastOnlineUsers("General")));
    }

    @Test
    void joiningAndChattingGoOnWhilePresenceIsDownAndPresenceIsWrittenOnceItIsBack() {
        engine.attach(sink);
        engine.createRoom("alice@x.io", "General");
        engine.createRoom("alice@x.io", "Random");
        ChatConnection alice = engine.connect("alice@x.io");
        alice.joinRoom("Random");

        presence.down.set(true);
        assertThat(alice.joinRoom("general")).isEqualTo("General");
        alice.leave("Random");
        TestEngines.await(alice.sendMessage("General", "still here", null));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("still here"));
        assertThat(presence.delegate.onlineUsers("General")).isEmpty();

        presence.down.set(false);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> presence.delegate.onlineUsers("General").equals(List.of("alice@x.io")));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> presence.delegate.onlineUsers("Random").isEmpty());
        await().atMost(10, TimeUnit.SECONDS).until(() -> List.of("alice@x.io").equals(sink.lastOnlineUsers("General")));
        assertThat(alice.rooms()).containsExactly("General");
    }

    @Test
    void anEngineBuildsWhileThePresenceStoreIsDownAndTakesItsLeaseLater() {
        presence.down.set(true);
        try (ChatEngine late = TestEngines.builder()
                .nodeId("late")
                .presenceStore(presence)
                .presenceLeaseTtl(Duration.ofMillis(300))
                .build()) {
            assertThat(presence.renewals).doesNotContainKey("late");
            presence.down.set(false);
            await().atMost(10, TimeUnit.SECONDS).until(() -> presence.renewals.getOrDefault("late", 0) >= 2);
            assertThat(late.nodeId()).isEqualTo("late");
        }
    }
}
