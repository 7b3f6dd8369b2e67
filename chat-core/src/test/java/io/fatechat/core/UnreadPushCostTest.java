package io.fatechat.core;

import static io.fatechat.core.TestEngines.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.memory.InMemoryBusHub;
import io.fatechat.core.memory.InMemoryConversationStore;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationCursor;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an unread-count push reads from the store: the counts of the recorded conversations' members connected
 * to the node, in batched reads, not a read per member nor a look at every connection.
 */
class UnreadPushCostTest {

    private static final String OWNER = "owner@x.io";
    private static final int ROOMS = 5;
    private static final int MEMBERS_PER_ROOM = 2;
    private static final int BYSTANDERS = 40;

    private final CountingConversationStore store = new CountingConversationStore(new InMemoryConversationStore());
    private final RecordingSink sink = new RecordingSink();
    private ChatEngine node;

    @BeforeEach
    void start() {
        node = TestEngines.builder()
                .nodeId("a")
                .messageBus(new InMemoryMessageBus(new InMemoryBusHub(), "a"))
                .presenceStore(new InMemoryPresenceStore())
                .historyStore(new InMemoryHistoryStore())
                .userStore(new InMemoryUserStore())
                .roomStore(new InMemoryRoomStore())
                .conversationStore(store)
                .build();
        node.attach(sink);
        node.register(OWNER, "correct horse");
        node.createRoom(OWNER, "Elsewhere");
        for (int r = 0; r < ROOMS; r++) {
            node.createRoom(OWNER, room(r));
        }
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void aPushReadsTheCountsOfTheConnectedMembersOfTheRecordedRoomsOnly() {
        List<ChatConnection> senders = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
            for (int m = 0; m < MEMBERS_PER_ROOM; m++) {
                ChatConnection member = node.connect(member(r, m));
                member.joinRoom(room(r));
                if (m == 0) {
                    senders.add(member);
                }
            }
        }
        // connected, members of another room, in none of the recorded ones
        for (int b = 0; b < BYSTANDERS; b++) {
            node.connect("bystander" + b + "@x.io").joinRoom("Elsewhere");
        }
        // a member of room 0 whose connection here joined no room: membership outlives connections
        ChatConnection earlier = node.connect("dora@x.io");
        earlier.joinRoom(room(0));
        earlier.close();
        node.connect("dora@x.io");

        sendOneToEveryRoom(senders);
        awaitCounts(1);
        store.reset();

        sendOneToEveryRoom(senders);
        awaitCounts(2);

        assertThat(store.finds).as("single reads per member").hasValue(0);
        assertThat(store.lists).as("rooms of users already indexed").hasValue(0);
        assertThat(store.asked)
                .as("each connected member of each recorded room, once")
                .containsExactlyInAnyOrderElementsOf(expectedPairs());
        assertThat(store.findAlls.get()).isBetween(1, ROOMS);
    }

    @Test
    void aMemberWhoLeftTheRoomIsNoLongerAsked() {
        ChatConnection sender = node.connect(member(0, 0));
        sender.joinRoom(room(0));
        ChatConnection leaver = node.connect(member(0, 1));
        leaver.joinRoom(room(0));
        await(sender.sendMessage(room(0), "one", null));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> sink.lastUnread(member(0, 1), ConversationId.room(room(0))) == 1);

        leaver.leave(room(0));
        store.reset();
        await(sender.sendMessage(room(0), "two", null));
        await().atMost(10, TimeUnit.SECONDS).until(() -> store.asked.contains(pair(0, member(0, 0))));

        assertThat(store.asked).containsExactly(pair(0, member(0, 0)));
        assertThat(sink.lastUnread(member(0, 1), ConversationId.room(room(0)))).isEqualTo(1);
    }

    private void sendOneToEveryRoom(List<ChatConnection> senders) {
        for (int r = 0; r < ROOMS; r++) {
            await(senders.get(r).sendMessage(room(r), "hello " + r, null));
        }
    }

    /** Every non-sender member (and Dora) got {@code unread} in its room. */
    private void awaitCounts(long unread) {
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            for (int r = 0; r < ROOMS; r++) {
                assertThat(sink.lastUnread(member(r, 1), ConversationId.room(room(r))))
                        .isEqualTo(unread);
                assertThat(sink.lastUnread(member(r, 0), ConversationId.room(room(r))))
                        .isZero();
            }
            assertThat(sink.lastUnread("dora@x.io", ConversationId.room(room(0))))
                    .isEqualTo(unread);
        });
    }

    private static List<String> expectedPairs() {
        List<String> pairs = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
            for (int m = 0; m < MEMBERS_PER_ROOM; m++) {
                pairs.add(pair(r, member(r, m)));
            }
        }
        pairs.add(pair(0, "dora@x.io"));
        return pairs;
    }

    private static String pair(int room, String user) {
        return ConversationId.room(room(room)).key() + " " + user;
    }

    private static String room(int r) {
        return "room" + r;
    }

    private static String member(int room, int m) {
        return "member" + room + "-" + m + "@x.io";
    }

    /** Counts the reads an unread push may make; everything else passes through. */
    private static final class CountingConversationStore extends ForwardingConversationStore {
        final AtomicInteger finds = new AtomicInteger();
        final AtomicInteger findAlls = new AtomicInteger();
        final AtomicInteger lists = new AtomicInteger();
        /** "conversation user" of every pair asked through findAll. */
        final List<String> asked = new CopyOnWriteArrayList<>();

        CountingConversationStore(ConversationStore delegate) {
            super(delegate);
        }

        void reset() {
            finds.set(0);
            findAlls.set(0);
            lists.set(0);
            asked.clear();
        }

        @Override
        public Optional<Conversation> find(String user, ConversationId conversation) {
            finds.incrementAndGet();
            return delegate.find(user, conversation);
        }

        @Override
        public Map<ConversationId, Map<String, Conversation>> findAll(
                Map<ConversationId, ? extends Collection<String>> members) {
            findAlls.incrementAndGet();
            members.forEach((conversation, users) -> users.forEach(user -> asked.add(conversation.key() + " " + user)));
            return delegate.findAll(members);
        }

        @Override
        public List<Conversation> list(String user, ConversationCursor after, int limit) {
            lists.incrementAndGet();
            return delegate.list(user, after, limit);
        }
    }

    @Test
    void aBusyRoomPushesItsMembersTheLatestCountOncePerIntervalNotOncePerMessage() {
        ChatEngine paced = TestEngines.builder()
                .unreadPushInterval(Duration.ofSeconds(5))
                .conversationStore(new InMemoryConversationStore())
                .build();
        RecordingSink pushes = new RecordingSink();
        paced.attach(pushes);
        try {
            paced.register(OWNER, "correct horse");
            paced.createRoom(OWNER, "Busy");
            ConversationId busy = ConversationId.room("Busy");
            ChatConnection alice = paced.connect("alice@x.io");
            alice.joinRoom("Busy");
            paced.connect("bob@x.io").joinRoom("Busy");

            await(alice.sendMessage("Busy", "first", null));
            await().atMost(10, TimeUnit.SECONDS).until(() -> pushes.lastUnread("bob@x.io", busy) == 1);
            long before = pushesTo(pushes, "bob@x.io", busy);
            for (int i = 2; i <= 20; i++) {
                await(alice.sendMessage("Busy", "message " + i, null));
            }
            await().atMost(20, TimeUnit.SECONDS).until(() -> pushes.lastUnread("bob@x.io", busy) == 20);

            assertThat(pushesTo(pushes, "bob@x.io", busy) - before)
                    .as("19 messages after the first push, their counts pushed together")
                    .isBetween(1L, 2L);
        } finally {
            paced.close();
        }
    }

    private static long pushesTo(RecordingSink sink, String user, ConversationId conversation) {
        return sink.unread.stream()
                .filter(u -> u.user().equals(user) && u.conversation().equals(conversation))
                .count();
    }
}
