package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.memory.InMemoryBusHub;
import io.fatechat.core.memory.InMemoryConversationStore;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryRecoverySessionStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.RateLimitedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connection state recovery on two nodes sharing a bus and every store, the recovery sessions included. */
class SessionRecoveryTest {

    private static final String ALICE = "alice@x.io";
    private static final String BOB = "bob@x.io";

    /** The system clock, which a test can move forward: ids of different nodes order by their real time. */
    private final SkippingClock clock = new SkippingClock();

    private final InMemoryBusHub hub = new InMemoryBusHub();
    private final InMemoryPresenceStore presence = new InMemoryPresenceStore();
    private final InMemoryHistoryStore history = new InMemoryHistoryStore();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final InMemoryRoomStore rooms = new InMemoryRoomStore();
    private final InMemoryConversationStore conversations = new InMemoryConversationStore();
    private final InMemoryRecoverySessionStore sessions = new InMemoryRecoverySessionStore();
    private final List<ChatEngine> engines = new ArrayList<>();
    private ChatEngine nodeA;
    private ChatEngine nodeB;

    @BeforeEach
    void start() {
        nodeA = node(
                "a", RecoveryOptions.DEFAULTS.withWindow(Duration.ofHours(1)).withPresenceGrace(Duration.ZERO));
        nodeB = node(
                "b", RecoveryOptions.DEFAULTS.withWindow(Duration.ofHours(1)).withPresenceGrace(Duration.ZERO));
        nodeA.register(ALICE, "correct horse");
        nodeA.register(BOB, "correct horse");
        nodeA.createRoom(ALICE, "General");
    }

    private ChatEngine node(String id, RecoveryOptions options) {
        ChatEngine engine = TestEngines.builder()
                .nodeId(id)
                .messageBus(new InMemoryMessageBus(hub, id))
                .ackPoint(AckPoint.BUS)
                .presenceStore(presence)
                .historyStore(history)
                .userStore(users)
                .roomStore(rooms)
                .conversationStore(conversations)
                .recoverySessionStore(sessions)
                .recovery(options)
                .clock(clock)
                .build();
        engines.add(engine);
        return engine;
    }

    @AfterEach
    void close() {
        engines.forEach(ChatEngine::close);
    }

    private RecoverableSession connect(ChatEngine node, String user, String pid, String offset) {
        return node.openRecoverable(node.claimRecovery(user, pid, offset), null, room -> {});
    }

    private List<ChatMessage> send(ChatConnection from, int count, String prefix) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(TestEngines.await(from.sendMessage("General", prefix + i, null))
                    .id());
        }
        await().atMost(10, TimeUnit.SECONDS)
                .until(() ->
                        history
                                .after(ConversationId.room("General"), "00000000-0000-7000-8000-000000000000", 10_000)
                                .stream()
                                .map(ChatMessage::id)
                                .toList()
                                .containsAll(ids));
        return history.after(ConversationId.room("General"), "00000000-0000-7000-8000-000000000000", 10_000).stream()
                .filter(m -> ids.contains(m.id()))
                .toList();
    }

    @Test
    void anOffsetFloorIsTheSmallestIdOfItsMillisecondAndReadsBack() {
        for (long millis : new long[] {0L, 1L, 0x0190f5a4_0000L, System.currentTimeMillis(), 0xffff_ffff_ffffL}) {
            String floor = SessionRecovery.floorId(Instant.ofEpochMilli(millis));

            assertThat(floor).matches("[0-9a-f]{8}-[0-9a-f]{4}-7000-8000-000000000000");
            assertThat(SessionRecovery.millisOf(floor)).isEqualTo(millis);
        }
        assertThat(SessionRecovery.floorId(Instant.ofEpochMilli(0x0190f5a4_0001L)))
                .isEqualTo("0190f5a4-0001-7000-8000-000000000000");
    }

    @Test
    void aFirstConnectGetsAPidAndIsNotRecovered() {
        RecoveryClaim claim = nodeA.claimRecovery(ALICE, null, null);
        RecoverableSession session = nodeA.openRecoverable(claim, null, room -> {});

        assertThat(claim.pid()).isNotBlank();
        assertThat(claim.recovered()).isFalse();
        assertThat(session.pid()).isEqualTo(claim.pid());
        assertThat(session.replay()).isEmpty();
        assertThat(session.offset()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void aDroppedClientGetsItsRoomsAndEveryMissedMessageOnceInOrderOnTheOtherNode() {
        RecoverableSession alice = connect(nodeA, ALICE, null, null);
        alice.joined(alice.connection().joinRoom("General"));
        RecoverableSession bob = connect(nodeB, BOB, null, null);
        bob.connection().joinRoom("General");
        String lastSeen = send(bob.connection(), 1, "before ").get(0).id();

        alice.suspend();
        List<ChatMessage> missed = send(bob.connection(), 3, "missed ");
        String dm = TestEngines.await(bob.connection().sendPrivateMessage(ALICE, "psst", null))
                .id();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !history.after(
                        ConversationId.direct(ALICE, BOB), "00000000-0000-7000-8000-000000000000", 10)
                .isEmpty());

        RecoveryClaim claim = nodeB.claimRecovery(ALICE, alice.pid(), lastSeen);
        assertThat(nodeA.claimRecovery(ALICE, alice.pid(), lastSeen).recovered())
                .as("the pid is taken")
                .isFalse();
        RecoverableSession back = nodeB.openRecoverable(claim, null, room -> {});

        assertThat(claim.recovered()).isTrue();
        assertThat(claim.pid()).isEqualTo(alice.pid());
        assertThat(back.recovered()).isTrue();
        assertThat(back.connection().rooms()).containsExactly("General");
        List<String> replayed = back.replay().stream().map(ChatMessage::id).toList();
        assertThat(replayed)
                .doesNotHaveDuplicates()
                .isSorted()
                .doesNotContain(lastSeen)
                .contains(dm);
        assertThat(replayed)
                .containsSubsequence(missed.stream().map(ChatMessage::id).toList());
        assertThat(back.offset()).isEqualTo(replayed.get(replayed.size() - 1));
    }

    @Test
    void withinThePresenceGraceTheUserStaysOnlineWithoutALeaveAndJoinPair() {
        ChatEngine graceful = node(
                "g",
                RecoveryOptions.DEFAULTS.withWindow(Duration.ofHours(1)).withPresenceGrace(Duration.ofSeconds(30)));
        RecoverableSession alice = connect(graceful, ALICE, null, null);
        alice.joined(alice.connection().joinRoom("General"));
        RecoverableSession bob = connect(nodeB, BOB, null, null);
        bob.connection().joinRoom("General");
        String lastSeen = send(bob.connection(), 1, "x").get(0).id();

        alice.suspend();
        assertThat(presence.onlineUsers("General")).contains(ALICE);
        RecoverableSession back = connect(graceful, ALICE, alice.pid(), lastSeen);

        assertThat(back.recovered()).isTrue();
        assertThat(back.connection().rooms()).containsExactly("General");
        assertThat(presence.onlineUsers("General")).contains(ALICE);
        assertThat(eventTexts()).noneMatch(t -> t.startsWith(ALICE + " left"));
        assertThat(eventTexts())
                .filteredOn(t -> t.startsWith(ALICE + " joined"))
                .hasSize(1);
    }

    @Test
    void afterTheGraceTheUserLeftAndIsAnnouncedAgainOnRecovery() {
        RecoverableSession alice = connect(nodeA, ALICE, null, null);
        alice.joined(alice.connection().joinRoom("General"));
        RecoverableSession bob = connect(nodeB, BOB, null, null);
        bob.connection().joinRoom("General");
        String lastSeen = send(bob.connection(), 1, "x").get(0).id();

        alice.suspend(); // grace zero: closed at once
        await().atMost(10, TimeUnit.SECONDS).until(() -> eventTexts().contains(ALICE + " left the room"));
        RecoverableSession back = connect(nodeA, ALICE, alice.pid(), lastSeen);

        assertThat(back.recovered()).isTrue();
        assertThat(back.replay()).extracting(ChatMessage::text).contains(ALICE + " left the room");
        assertThat(presence.onlineUsers("General")).contains(ALICE);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> eventTexts().stream()
                                .filter(t -> t.startsWith(ALICE + " joined"))
                                .count()
                        == 2);
    }

    /**
     * The rejoin of a recovery is the server restoring the session, not the client joining: a user in more rooms
     * than its join bucket holds is back in all of them, while its own joins stay limited.
     */
    @Test
    void aRecoveryRejoinsEveryRoomWhateverIsLeftOfTheJoinRate() {
        // the clock stands still, so the bucket the 40 joins empty is not refilled while the test runs
        ChatEngine node = TestEngines.builder()
                .nodeId("r")
                .messageBus(new InMemoryMessageBus(hub, "r"))
                .ackPoint(AckPoint.BUS)
                .presenceStore(presence)
                .historyStore(history)
                .userStore(users)
                .roomStore(rooms)
                .conversationStore(conversations)
                .recoverySessionStore(sessions)
                .recovery(
                        RecoveryOptions.DEFAULTS.withWindow(Duration.ofHours(1)).withPresenceGrace(Duration.ZERO))
                .limits(ChatLimits.builder().actionsPerSecond(1).actionBurst(40).build())
                .clock(java.time.Clock.fixed(Instant.now(), java.time.ZoneOffset.UTC))
                .build();
        engines.add(node);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            names.add(nodeA.createRoom(BOB, "Room " + i).name());
        }
        RecoverableSession alice = connect(node, ALICE, null, null);
        for (String name : names) {
            alice.joined(alice.connection().joinRoom(name));
        }
        assertThatThrownBy(() -> alice.connection().joinRoom("General"))
                .as("the join bucket is empty")
                .isInstanceOf(RateLimitedException.class);

        alice.suspend();
        RecoverableSession back = connect(node, ALICE, alice.pid(), null);

        assertThat(back.recovered()).isTrue();
        assertThat(back.connection().rooms()).containsExactlyInAnyOrderElementsOf(names);
        for (String name : names) {
            assertThat(presence.onlineUsers(name)).as("online in %s", name).contains(ALICE);
        }
        assertThatThrownBy(() -> back.connection().joinRoom("General"))
                .as("the client's own joins are still limited")
                .isInstanceOf(RateLimitedException.class);
        back.suspend();
        assertThat(connect(node, ALICE, back.pid(), null).connection().rooms())
                .as("the restored session keeps every room for the next recovery")
                .containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void anUnknownPidOrAnotherUsersPidGetsAFreshSessionAndTheOwnerStillRecovers() {
        RecoverableSession alice = connect(nodeA, ALICE, null, null);
        alice.suspend();

        RecoveryClaim unknown = nodeA.claimRecovery(ALICE, "no-such-pid", null);
        RecoveryClaim stolen = nodeA.claimRecovery(BOB, alice.pid(), null);

        assertThat(unknown.recovered()).isFalse();
        assertThat(unknown.pid()).isNotEqualTo("no-such-pid");
        assertThat(stolen.recovered()).isFalse();
        assertThat(stolen.pid()).isNotEqualTo(alice.pid());
        assertThat(nodeA.claimRecovery(ALICE, alice.pid(), "not an offset").recovered())
                .isTrue();
    }

    @Test
    void pastTheWindowTheClientGetsAFreshSession() {
        RecoverableSession alice = connect(nodeA, ALICE, null, null);
        alice.joined(alice.connection().joinRoom("General"));
        alice.suspend();

        clock.skip(Duration.ofHours(2));
        RecoverableSession back = connect(nodeA, ALICE, alice.pid(), null);

        assertThat(back.recovered()).isFalse();
        assertThat(back.pid()).isNotEqualTo(alice.pid());
        assertThat(back.connection().rooms()).isEmpty();
        assertThat(back.connection().joinRoom("general")).isEqualTo("General");
    }

    @Test
    void moreMissedThanTheMaximumGivesAFreshSession() {
        ChatEngine small = node(
                "s",
                RecoveryOptions.DEFAULTS
                        .withWindow(Duration.ofHours(1))
                        .withPresenceGrace(Duration.ZERO)
                        .withMaxReplay(2));
        RecoverableSession alice = connect(small, ALICE, null, null);
        alice.joined(alice.connection().joinRoom("General"));
        RecoverableSession bob = connect(nodeB, BOB, null, null);
        bob.connection().joinRoom("General");
        String lastSeen = send(bob.connection(), 1, "x").get(0).id();
        alice.suspend();
        send(bob.connection(), 3, "flood ");

        RecoveryClaim claim = small.claimRecovery(ALICE, alice.pid(), lastSeen);
        RecoverableSession back = small.openRecoverable(claim, null, room -> {});

        assertThat(claim.recovered()).isFalse();
        assertThat(claim.pid()).isNotEqualTo(alice.pid());
        assertThat(back.recovered()).isFalse();
        assertThat(back.replay()).isEmpty();
        assertThat(back.connection().rooms()).isEmpty();
    }

    @Test
    void aClientThatSaysGoodbyeCannotBeRecovered() {
        RecoverableSession alice = connect(nodeA, ALICE, null, null);
        alice.end();

        assertThat(nodeA.claimRecovery(ALICE, alice.pid(), null).recovered()).isFalse();
    }

    @Test
    void withRecoveryOffThereIsNoPid() {
        ChatEngine off = node("o", RecoveryOptions.DISABLED);
        RecoveryClaim claim = off.claimRecovery(ALICE, "whatever", null);

        assertThat(off.recoveryEnabled()).isFalse();
        assertThat(claim.pid()).isNull();
        assertThat(off.openRecoverable(claim, null, room -> {}).pid()).isNull();
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> RecoveryOptions.DEFAULTS.withWindow(Duration.ZERO))
                .hasMessageContaining("window");
        assertThatThrownBy(() -> RecoveryOptions.DEFAULTS.withPresenceGrace(Duration.ofMinutes(3)))
                .hasMessageContaining("presenceGrace");
        assertThatThrownBy(() -> RecoveryOptions.DEFAULTS.withMaxReplay(0)).hasMessageContaining("maxReplay");
    }

    private static final class SkippingClock extends java.time.Clock {
        private volatile Duration skipped = Duration.ZERO;

        void skip(Duration duration) {
            skipped = skipped.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(skipped);
        }
    }

    private List<String> eventTexts() {
        return history.after(ConversationId.room("General"), "00000000-0000-7000-8000-000000000000", 10_000).stream()
                .filter(ChatMessage::event)
                .map(ChatMessage::text)
                .toList();
    }
}
