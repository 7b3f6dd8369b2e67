package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.spi.PresenceStore;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A join costs the joining client one presence call (issue 19): the store's join answers whether the user was
 * online already, and the room's online users are read later, off the caller's thread, shared by the joins.
 */
class JoinRoundTripTest {

    /** Records the presence calls made on the test's own thread. */
    static final class CallRecordingStore implements PresenceStore {
        final InMemoryPresenceStore delegate = new InMemoryPresenceStore();
        final Thread caller = Thread.currentThread();
        final Queue<String> callerCalls = new ConcurrentLinkedQueue<>();

        private void record(String call) {
            if (Thread.currentThread() == caller) {
                callerCalls.add(call);
            }
        }

        @Override
        public boolean join(String nodeId, String connectionId, String user, String room) {
            record("join");
            return delegate.join(nodeId, connectionId, user, room);
        }

        @Override
        public boolean leave(String connectionId, String room) {
            record("leave");
            return delegate.leave(connectionId, room);
        }

        @Override
        public Set<String> leaveAll(String connectionId) {
            record("leaveAll");
            return delegate.leaveAll(connectionId);
        }

        @Override
        public List<String> onlineUsers(String room) {
            record("onlineUsers");
            return delegate.onlineUsers(room);
        }

        @Override
        public void renewLease(String nodeId, Duration ttl) {
            delegate.renewLease(nodeId, ttl);
        }

        @Override
        public Set<String> expireLeases() {
            return delegate.expireLeases();
        }

        @Override
        public Set<String> removeNode(String nodeId) {
            return delegate.removeNode(nodeId);
        }
    }

    private final CallRecordingStore presence = new CallRecordingStore();
    private final RecordingSink sink = new RecordingSink();
    private final ChatEngine engine =
            TestEngines.builder().presenceStore(presence).build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aJoinMakesOnePresenceCallAndStillAnnouncesOnlyTheUsersFirstConnection() {
        engine.attach(sink);
        engine.createRoom("alice@x.io", "General");
        ChatConnection aliceTab1 = engine.connect("alice@x.io");
        ChatConnection aliceTab2 = engine.connect("alice@x.io");
        ChatConnection bob = engine.connect("bob@x.io");
        presence.callerCalls.clear();

        aliceTab1.joinRoom("General");
        aliceTab2.joinRoom("General");
        bob.joinRoom("General");

        assertThat(presence.callerCalls).containsExactly("join", "join", "join");
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> List.of("alice@x.io", "bob@x.io").equals(sink.lastOnlineUsers("General")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").size() >= 2);
        assertThat(sink.texts("General")).containsExactly("alice@x.io joined the room", "bob@x.io joined the room");
    }
}
