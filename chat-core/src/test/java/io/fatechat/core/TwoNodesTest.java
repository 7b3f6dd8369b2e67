package io.fatechat.core;

import static io.fatechat.core.TestEngines.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.internal.BusEvent;
import io.fatechat.core.internal.WireCodec;
import io.fatechat.core.memory.InMemoryBusHub;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.Room;
import io.fatechat.spi.support.ChatMessageJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two engines sharing one in-memory hub and one set of stores: two nodes of one deployment. */
class TwoNodesTest {

    private final MutableClock presenceClock = new MutableClock(Instant.now());
    private final InMemoryBusHub hub = new InMemoryBusHub();
    private final InMemoryPresenceStore presence = new InMemoryPresenceStore(presenceClock);
    private final InMemoryHistoryStore history = new InMemoryHistoryStore();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final InMemoryRoomStore rooms = new InMemoryRoomStore();
    private final RecordingSink sinkA = new RecordingSink();
    private final RecordingSink sinkB = new RecordingSink();
    private InMemoryMessageBus busA;
    private ChatEngine nodeA;
    private ChatEngine nodeB;
    private Room general;

    @BeforeEach
    void start() {
        busA = new InMemoryMessageBus(hub, "a");
        nodeA = node("a", busA);
        nodeB = node("b", new InMemoryMessageBus(hub, "b"));
        nodeA.attach(sinkA);
        nodeB.attach(sinkB);
        nodeA.register("alice@x.io", "correct horse");
        nodeB.register("bob@x.io", "correct horse");
        general = nodeA.createRoom("alice@x.io", "General");
    }

    /** A node of a distributed deployment: acks on the bus and persists through the shared group, as on Kafka. */
    private ChatEngine node(String id, InMemoryMessageBus bus) {
        return TestEngines.builder()
                .nodeId(id)
                .messageBus(bus)
                .ackPoint(AckPoint.BUS)
                .presenceStore(presence)
                .historyStore(history)
                .userStore(users)
                .roomStore(rooms)
                .presenceLeaseTtl(Duration.ofSeconds(6))
                .build();
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void eachNodeSeesTheOthersMessagesAndPresence() {
        ChatConnection alice = nodeA.connect("alice@x.io");
        ChatConnection bob = nodeB.connect("bob@x.io");
        assertThat(bob.joinRoom("general")).as("B resolves a room A created").isEqualTo("General");
        alice.joinRoom("General");

        for (RecordingSink sink : List.of(sinkA, sinkB)) {
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> List.of("alice@x.io", "bob@x.io").equals(sink.lastOnlineUsers("General")));
        }
        SendReceipt hello = await(alice.sendMessage("General", "hello from A", null));
        await(bob.sendMessage("General", "hello from B", null));
        await(bob.sendPrivateMessage("alice@x.io", "psst", null));

        for (RecordingSink sink : List.of(sinkA, sinkB)) {
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> sink.texts("General").contains("hello from B"));
            assertThat(sink.texts("General"))
                    .containsExactly(
                            "bob@x.io joined the room", "alice@x.io joined the room", "hello from A", "hello from B");
            await().atMost(10, TimeUnit.SECONDS).until(() -> sink.privateMessages.size() == 1);
        }
        // One persister per deployment: each message is stored once although both nodes are in the group.
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> history.page(general.conversation(), null, 10).size() == 4);
        assertThat(nodeB.roomHistory("bob@x.io", general.id(), null, 10).get(1).id())
                .isEqualTo(hello.id());
        assertThat(alice.onlineUsersIn("General").users()).containsExactly("alice@x.io", "bob@x.io");

        alice.typing("General");
        await().atMost(10, TimeUnit.SECONDS).until(() -> sinkB.typing.size() == 1);
        assertThat(sinkB.typing.get(0).originConnectionId()).isEqualTo(alice.id());
    }

    @Test
    void aStaleOnlineUsersSnapshotFromAnotherNodeIsNotShown() {
        ChatConnection alice = nodeA.connect("alice@x.io");
        ChatConnection bob = nodeB.connect("bob@x.io");
        alice.joinRoom("General");
        bob.joinRoom("General");
        for (RecordingSink sink : List.of(sinkA, sinkB)) {
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> List.of("alice@x.io", "bob@x.io").equals(sink.lastOnlineUsers("General")));
        }

        int seenA = sinkA.onlineUsers.size();
        int seenB = sinkB.onlineUsers.size();

        // A snapshot read before bob joined, arriving late (snapshots of two nodes are not ordered).
        busA.publish(new BusRecord(
                BusTopic.EVENTS,
                ConversationId.room("General").key(),
                WireCodec.encodeEvent(new BusEvent.Presence("General", List.of("alice@x.io")))));

        for (var sink : List.of(java.util.Map.entry(sinkA, seenA), java.util.Map.entry(sinkB, seenB))) {
            RecordingSink recording = sink.getKey();
            await().atMost(10, TimeUnit.SECONDS).until(() -> recording.onlineUsers.size() > sink.getValue());
            assertThat(recording.onlineUsers.subList(sink.getValue(), recording.onlineUsers.size()))
                    .as("what the room is told after the stale snapshot arrived")
                    .extracting(RecordingSink.OnlineUsers::users)
                    .containsOnly(List.of("alice@x.io", "bob@x.io"));
        }
    }

    @Test
    void disconnectOnOneNodeUpdatesTheOther() {
        ChatConnection alice = nodeA.connect("alice@x.io");
        ChatConnection bob = nodeB.connect("bob@x.io");
        alice.joinRoom("General");
        bob.joinRoom("General");
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> List.of("alice@x.io", "bob@x.io").equals(sinkB.lastOnlineUsers("General")));

        alice.close();

        await().atMost(10, TimeUnit.SECONDS).until(() -> List.of("bob@x.io").equals(sinkB.lastOnlineUsers("General")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sinkB.texts("General").contains("alice@x.io left the room"));
    }

    @Test
    void aDeadNodesUsersDropOutWhenItsLeaseLapses() {
        ChatConnection bob = nodeB.connect("bob@x.io");
        bob.joinRoom("General");
        // A node that joined a user and then died: it never renews its one-second lease.
        presence.join("dead", "dead:1", "carol@x.io", "General");
        presence.renewLease("dead", Duration.ofSeconds(1));
        assertThat(bob.onlineUsersIn("General").users()).containsExactly("bob@x.io", "carol@x.io");

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> sinkA.onlineUsers.size() == 1 && sinkB.onlineUsers.size() == 1);

        // Past the dead node's lease, well within the live nodes' (renewed every 2 s for 6 s).
        presenceClock.advance(Duration.ofMillis(1500));

        for (RecordingSink sink : List.of(sinkA, sinkB)) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> sink.onlineUsers.size() == 2);
            assertThat(sink.onlineUsers.get(1))
                    .isEqualTo(new RecordingSink.OnlineUsers("General", List.of("bob@x.io")));
        }
        assertThat(presence.onlineUsers("General")).containsExactly("bob@x.io");
    }

    @Test
    void closingANodeRemovesItsPresenceAndTellsTheOthers() {
        nodeA.connect("alice@x.io").joinRoom("General");
        nodeB.connect("bob@x.io").joinRoom("General");
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> List.of("alice@x.io", "bob@x.io").equals(sinkB.lastOnlineUsers("General")));

        nodeA.close();

        assertThat(presence.onlineUsers("General")).containsExactly("bob@x.io");
        await().atMost(10, TimeUnit.SECONDS).until(() -> List.of("bob@x.io").equals(sinkB.lastOnlineUsers("General")));
        // The engine closes only what it created: the bus passed in stays open for its owner.
        assertThat(busA.publish(new BusRecord(BusTopic.EVENTS, "r:x", new byte[] {'{', '}'}))
                        .toCompletableFuture())
                .succeedsWithin(Duration.ofSeconds(5));
        busA.close();
    }

    @Test
    void aReSendThroughAnotherNodeReturnsTheOriginalIdAndIsShownOnce() {
        ChatConnection aliceOnA = nodeA.connect("alice@x.io");
        ChatConnection aliceOnB = nodeB.connect("alice@x.io");
        aliceOnA.joinRoom("General");
        aliceOnB.joinRoom("General");

        SendReceipt original = await(aliceOnA.sendMessage("General", "once", "client-1"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sinkB.texts("General").contains("once"));
        SendReceipt resent = await(aliceOnB.sendMessage("General", "once", "client-1"));

        assertThat(resent.id()).isEqualTo(original.id());
        assertThat(resent.createdAt()).isEqualTo(original.createdAt());
        assertThat(resent.duplicate()).isTrue();
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> history.findByClientId("alice@x.io", TestEngines.storedClientId("General", "client-1"))
                        .isPresent());
        assertThat(history.page(general.conversation(), null, 10))
                .extracting(ChatMessage::text)
                .containsOnlyOnce("once");
    }

    @Test
    void aBroadcastRepeatingAClientIdAlreadyShownIsDropped() {
        ChatConnection alice = nodeA.connect("alice@x.io");
        alice.joinRoom("General");
        SendReceipt original = await(alice.sendMessage("General", "once", "client-2"));
        for (RecordingSink sink : List.of(sinkA, sinkB)) {
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> sink.texts("General").contains("once"));
        }

        // What a node that had not yet seen the original would publish for a re-send: a new id, same client id.
        ChatMessage copy = new ChatMessage(
                UUID.randomUUID().toString(),
                ConversationId.room("General"),
                "alice@x.io",
                "once",
                false,
                Instant.now(),
                TestEngines.storedClientId("General", "client-2"));
        busA.publish(new BusRecord(BusTopic.MESSAGES, copy.conversation().key(), ChatMessageJson.encode(copy)));
        await(alice.sendMessage("General", "after", null));

        for (RecordingSink sink : List.of(sinkA, sinkB)) {
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> sink.texts("General").contains("after"));
            assertThat(sink.roomMessages)
                    .filteredOn(m ->
                            TestEngines.storedClientId("General", "client-2").equals(m.clientId()))
                    .extracting(ChatMessage::id)
                    .containsExactly(original.id());
        }
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> history.page(general.conversation(), null, 10).size() == 3);
        assertThat(history.page(general.conversation(), null, 10))
                .extracting(ChatMessage::text)
                .containsExactly("after", "once", "alice@x.io joined the room");
    }

    @Test
    void aNodeThatNeverSawTheOriginalFindsItInHistory() {
        ChatConnection alice = nodeA.connect("alice@x.io");
        alice.joinRoom("General");
        SendReceipt original = await(alice.sendMessage("General", "once", "client-3"));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> history.findByClientId("alice@x.io", TestEngines.storedClientId("General", "client-3"))
                        .isPresent());

        try (ChatEngine nodeC = node("c", new InMemoryMessageBus(hub, "c"))) {
            RecordingSink sinkC = new RecordingSink();
            nodeC.attach(sinkC);
            ChatConnection aliceOnC = nodeC.connect("alice@x.io");
            aliceOnC.joinRoom("General");
            SendReceipt resent = await(aliceOnC.sendMessage("General", "once", "client-3"));

            assertThat(resent).isEqualTo(new SendReceipt(original.id(), original.createdAt(), true));
            await(aliceOnC.sendMessage("General", "marker", null));
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> sinkC.texts("General").contains("marker"));
            assertThat(sinkC.texts("General")).doesNotContain("once");
        }
    }
}
