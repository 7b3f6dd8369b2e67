package io.fatechat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationCursor;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.ErrorCode;
import io.fatechat.spi.NotMemberException;
import io.fatechat.spi.ReadMarker;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@link ConversationStore} contract as tests. A backend proves itself by extending this class:
 *
 * <pre>{@code
 * class MariaDbConversationStoreCompatibilityIT extends ConversationStoreCompatibilityKit {
 *     static JdbcChatStores stores;                // started once per class on a throwaway database
 *
 *     @Override
 *     protected ConversationStore newStore() {     // the same database for every store of a test
 *         return stores.conversations();
 *     }
 * }
 * }</pre>
 *
 * Users and rooms are unique per test, so the kit can share a backend with other runs.
 */
public abstract class ConversationStoreCompatibilityKit extends StoreCompatibilityKit<ConversationStore> {

    @Override
    protected abstract ConversationStore newStore();

    @Test
    void aJoinedRoomIsListedWithNothingUnread() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");

        store.join(user("ann"), lobby, null);

        List<Conversation> mine = store.list(user("ann"), null, 10);
        assertThat(mine).extracting(Conversation::id).containsExactly(lobby);
        assertThat(mine.get(0).unreadCount()).isZero();
        assertThat(mine.get(0).lastMessage()).isNull();
        assertThat(mine.get(0).readMessageId()).isNull();
        assertThat(store.find(user("ann"), lobby)).contains(mine.get(0));
        assertThat(store.list(user("bob"), null, 10)).isEmpty();
        assertThat(store.find(user("bob"), lobby)).isEmpty();
    }

    @Test
    void messagesOfOthersAreUnreadAndTheNewestIsTheLastMessage() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        store.join(user("ann"), lobby, null);
        store.join(user("bob"), lobby, null);
        List<ChatMessage> sent =
                List.of(message(lobby, "bob", "one"), message(lobby, "bob", "two"), message(lobby, "bob", "three"));

        store.record(sent);

        Conversation ann = store.find(user("ann"), lobby).orElseThrow();
        assertThat(ann.unreadCount()).isEqualTo(3);
        assertThat(ann.lastMessage()).isEqualTo(sent.get(2));
        assertThat(ann.activityAt()).isEqualTo(sent.get(2).createdAt());
        Conversation bob = store.find(user("bob"), lobby).orElseThrow();
        assertThat(bob.unreadCount()).as("one has read what one wrote").isZero();
        assertThat(bob.readMessageId()).isEqualTo(sent.get(2).id());
    }

    @Test
    void recordingIsIdempotentByMessageId() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        store.join(user("ann"), lobby, null);
        List<ChatMessage> sent = List.of(message(lobby, "bob", "one"), message(lobby, "bob", "two"));

        store.record(sent);
        store.record(sent);
        store.record(List.of(sent.get(1), sent.get(0), sent.get(1)));

        assertThat(store.find(user("ann"), lobby).orElseThrow().unreadCount()).isEqualTo(2);
    }

    @Test
    void eventMessagesAreNotCounted() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        store.join(user("ann"), lobby, null);
        ChatMessage said = message(lobby, "bob", "hello");
        ChatMessage joined = new ChatMessage(
                HistoryStoreCompatibilityKit.nextId(), lobby, user("cid"), "cid joined the room", true, now(), null);

        store.record(List.of(said, joined));

        Conversation ann = store.find(user("ann"), lobby).orElseThrow();
        assertThat(ann.unreadCount()).isEqualTo(1);
        assertThat(ann.lastMessage()).isEqualTo(said);
    }

    @Test
    void joiningCountsOnlyWhatCameAfterTheGivenMarker() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        List<ChatMessage> before = List.of(message(lobby, "bob", "one"), message(lobby, "bob", "two"));
        store.record(before);
        String joinedAt = HistoryStoreCompatibilityKit.nextId();
        ChatMessage after = message(lobby, "bob", "three");
        store.record(List.of(after));

        store.join(user("ann"), lobby, joinedAt);
        store.join(user("cid"), lobby, null);

        Conversation ann = store.find(user("ann"), lobby).orElseThrow();
        assertThat(ann.unreadCount()).isEqualTo(1);
        assertThat(ann.readMessageId()).isEqualTo(joinedAt);
        assertThat(ann.lastMessage()).isEqualTo(after);
        assertThat(store.find(user("cid"), lobby).orElseThrow().unreadCount()).isEqualTo(3);
    }

    @Test
    void joiningAgainKeepsTheMarker() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        store.join(user("ann"), lobby, null);
        store.record(List.of(message(lobby, "bob", "one"), message(lobby, "bob", "two")));

        store.join(user("ann"), lobby, HistoryStoreCompatibilityKit.nextId());

        assertThat(store.find(user("ann"), lobby).orElseThrow().unreadCount()).isEqualTo(2);
    }

    @Test
    void markingReadIsMonotonicAndIdempotent() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        store.join(user("ann"), lobby, null);
        List<ChatMessage> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(message(lobby, "bob", "m" + i));
        }
        store.record(sent);

        Conversation afterThird = store.markRead(user("ann"), lobby, sent.get(2).id());
        assertThat(afterThird.unreadCount()).isEqualTo(2);
        assertThat(afterThird.readMessageId()).isEqualTo(sent.get(2).id());

        Conversation older = store.markRead(user("ann"), lobby, sent.get(0).id());
        assertThat(older.readMessageId())
                .as("an older marker never moves it back")
                .isEqualTo(sent.get(2).id());
        assertThat(older.unreadCount()).isEqualTo(2);
        assertThat(store.markRead(user("ann"), lobby, sent.get(2).id())).isEqualTo(afterThird);

        assertThat(store.markRead(user("ann"), lobby, sent.get(4).id()).unreadCount())
                .isZero();
        assertThat(store.find(user("ann"), lobby).orElseThrow().readMessageId())
                .isEqualTo(sent.get(4).id());
    }

    @Test
    void aMarkerAheadOfRecordingCoversMessagesRecordedLate() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        store.join(user("ann"), lobby, null);
        ChatMessage first = message(lobby, "bob", "first");
        ChatMessage second = message(lobby, "bob", "second");
        ChatMessage third = message(lobby, "bob", "third");
        store.record(List.of(first));

        // Ann saw "second" live before the persister recorded it
        assertThat(store.markRead(user("ann"), lobby, second.id()).unreadCount())
                .isZero();
        store.record(List.of(third));
        store.record(List.of(second));

        Conversation ann = store.find(user("ann"), lobby).orElseThrow();
        assertThat(ann.unreadCount()).isEqualTo(1);
        assertThat(ann.lastMessage())
                .as("the newest by id, whatever the recording order")
                .isEqualTo(third);
    }

    @Test
    void onlyMembersMayMarkRead() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        ChatMessage hello = message(lobby, "bob", "hello");
        store.record(List.of(hello));

        assertThatThrownBy(() -> store.markRead(user("ann"), lobby, hello.id()))
                .isInstanceOfSatisfying(NotMemberException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
                    assertThat(e.conversation()).isEqualTo(lobby);
                });
        ConversationId direct = ConversationId.direct(user("bob"), user("cid"));
        store.record(List.of(message(direct, "bob", "psst")));
        assertThatThrownBy(() -> store.markRead(user("ann"), direct, hello.id()))
                .isInstanceOfSatisfying(
                        NotMemberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(store.list(user("ann"), null, 10)).isEmpty();
    }

    @Test
    void aPrivateConversationExistsForBothOnceAMessageIsRecorded() {
        ConversationStore store = store();
        ConversationId direct = ConversationId.direct(user("ann"), user("bob"));
        assertThat(store.find(user("ann"), direct)).isEmpty();

        ChatMessage one = message(direct, "ann", "hi Bob");
        ChatMessage two = message(direct, "ann", "are you there?");
        store.record(List.of(one, two));

        Conversation bob = store.find(user("bob"), direct).orElseThrow();
        assertThat(bob.unreadCount()).isEqualTo(2);
        assertThat(bob.lastMessage()).isEqualTo(two);
        assertThat(bob.readMessageId()).isNull();
        assertThat(store.find(user("ann"), direct).orElseThrow().unreadCount()).isZero();
        assertThat(store.list(user("bob"), null, 10))
                .extracting(Conversation::id)
                .containsExactly(direct);

        ChatMessage reply = message(direct, "bob", "yes");
        store.record(List.of(reply));
        assertThat(store.find(user("bob"), direct).orElseThrow().unreadCount())
                .as("replying reads up to the reply")
                .isZero();
        assertThat(store.find(user("ann"), direct).orElseThrow().unreadCount()).isEqualTo(1);
    }

    @Test
    void leavingEndsMembershipAndRejoiningStartsAfresh() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        store.join(user("ann"), lobby, null);
        ChatMessage hello = message(lobby, "bob", "hello");
        store.record(List.of(hello));

        assertThat(store.leave(user("ann"), lobby)).isTrue();
        assertThat(store.leave(user("ann"), lobby)).isFalse();

        assertThat(store.find(user("ann"), lobby)).isEmpty();
        assertThat(store.list(user("ann"), null, 10)).isEmpty();
        assertThatThrownBy(() -> store.markRead(user("ann"), lobby, hello.id())).isInstanceOf(NotMemberException.class);
        store.join(user("ann"), lobby, hello.id());
        assertThat(store.find(user("ann"), lobby).orElseThrow().unreadCount()).isZero();
    }

    @Test
    void listRunsNewestActivityFirstAndPagesWithoutGapsOrRepeats() {
        ConversationStore store = store();
        List<ConversationId> newestFirst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ConversationId room = room("room" + i);
            store.join(user("ann"), room, null);
            newestFirst.add(0, room);
        }
        for (ConversationId room : List.copyOf(newestFirst)) {
            store.record(List.of(message(room, "bob", "in " + room.roomName())));
        }
        Collections.reverse(newestFirst);
        // the oldest-joined room gets the newest message: it moves to the top
        ConversationId busy = newestFirst.get(newestFirst.size() - 1);
        store.record(List.of(message(busy, "bob", "again")));
        newestFirst.remove(busy);
        newestFirst.add(0, busy);

        List<Conversation> first = store.list(user("ann"), null, 3);
        List<Conversation> second = store.list(user("ann"), first.get(2).cursor(), 3);
        List<Conversation> third = store.list(user("ann"), second.get(2).cursor(), 3);

        List<ConversationId> paged = new ArrayList<>();
        for (List<Conversation> page : List.of(first, second, third)) {
            page.forEach(c -> paged.add(c.id()));
        }
        assertThat(first).hasSize(3);
        assertThat(second).hasSize(3);
        assertThat(third).hasSize(1);
        assertThat(paged).containsExactlyElementsOf(newestFirst);
        assertThat(store.list(user("ann"), third.get(0).cursor(), 3)).isEmpty();
        assertThat(store.list(user("ann"), null, 0)).isEmpty();
        assertThatThrownBy(() -> store.list(user("ann"), null, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void conversationsWithTheSameActivityTimeAreAllPaged() {
        ConversationStore store = store();
        Instant at = now();
        List<ConversationId> rooms = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ConversationId room = room("tie" + i);
            rooms.add(room);
            store.join(user("ann"), room, null);
            store.record(List.of(new ChatMessage(
                    HistoryStoreCompatibilityKit.nextId(), room, user("bob"), "same time", false, at, null)));
        }

        List<ConversationId> paged = new ArrayList<>();
        ConversationCursor cursor = null;
        for (int page = 0; page < 5; page++) {
            List<Conversation> got = store.list(user("ann"), cursor, 2);
            got.forEach(c -> paged.add(c.id()));
            if (got.size() < 2) {
                break;
            }
            cursor = got.get(got.size() - 1).cursor();
        }
        assertThat(paged).containsExactlyInAnyOrderElementsOf(rooms).doesNotHaveDuplicates();
    }

    @Test
    void everyNodeSeesTheSameState() {
        ConversationStore nodeA = store();
        ConversationStore nodeB = store();
        ConversationId lobby = room("lobby");
        nodeA.join(user("ann"), lobby, null);
        ChatMessage hello = message(lobby, "bob", "hello");
        nodeB.record(List.of(hello));

        assertThat(nodeB.find(user("ann"), lobby).orElseThrow().unreadCount()).isEqualTo(1);
        nodeB.markRead(user("ann"), lobby, hello.id());
        assertThat(nodeA.find(user("ann"), lobby).orElseThrow().unreadCount()).isZero();
        assertThat(nodeA.readMarkers(lobby, 10)).containsExactly(new ReadMarker(user("ann"), hello.id()));
    }

    @Test
    void readMarkersRunFurthestFirst() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        for (String u : List.of("ann", "bob", "cid", "dan")) {
            store.join(user(u), lobby, null);
        }
        List<ChatMessage> sent =
                List.of(message(lobby, "eve", "one"), message(lobby, "eve", "two"), message(lobby, "eve", "three"));
        store.record(sent);
        store.markRead(user("ann"), lobby, sent.get(0).id());
        store.markRead(user("bob"), lobby, sent.get(2).id());
        store.markRead(user("cid"), lobby, sent.get(1).id());

        assertThat(store.readMarkers(lobby, 10))
                .containsExactly(
                        new ReadMarker(user("bob"), sent.get(2).id()),
                        new ReadMarker(user("cid"), sent.get(1).id()),
                        new ReadMarker(user("ann"), sent.get(0).id()));
        assertThat(store.readMarkers(lobby, 1))
                .containsExactly(new ReadMarker(user("bob"), sent.get(2).id()));
        assertThat(store.readMarkers(room("nowhere"), 10)).isEmpty();
    }

    @Test
    void usersAreMatchedIgnoringCase() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        store.join(user("ann").toUpperCase(java.util.Locale.ROOT), lobby, null);
        store.record(List.of(message(lobby, "bob", "hi")));

        assertThat(store.find(user("ann"), lobby).orElseThrow().unreadCount()).isEqualTo(1);
        assertThat(store.leave(user("ann"), lobby)).isTrue();
    }

    @Test
    void findAllGivesTheViewsFindGivesForTheMembersOnly() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        ConversationId den = room("den");
        ConversationId direct = ConversationId.direct(user("ann"), user("bob"));
        store.join(user("ann"), lobby, null);
        store.join(user("bob"), lobby, null);
        store.join(user("ann"), den, null);
        store.record(List.of(
                message(lobby, "bob", "one"),
                message(lobby, "bob", "two"),
                message(den, "carl", "three"),
                message(direct, "ann", "psst")));
        String annShouting = user("ann").toUpperCase(java.util.Locale.ROOT);

        Map<ConversationId, Map<String, Conversation>> views = store.findAll(Map.of(
                lobby,
                List.of(user("ann"), user("bob"), user("carol")),
                den,
                List.of(annShouting, user("bob")),
                direct,
                List.of(user("bob")),
                room("nowhere"),
                List.of(user("ann"))));

        assertThat(views)
                .containsOnlyKeys(lobby, den, direct)
                .containsEntry(
                        lobby,
                        Map.of(
                                user("ann"), store.find(user("ann"), lobby).orElseThrow(),
                                user("bob"), store.find(user("bob"), lobby).orElseThrow()))
                .containsEntry(
                        den, Map.of(annShouting, store.find(user("ann"), den).orElseThrow()))
                .containsEntry(
                        direct,
                        Map.of(user("bob"), store.find(user("bob"), direct).orElseThrow()));
        assertThat(views.get(lobby).get(user("ann")).unreadCount()).isEqualTo(2);
        assertThat(views.get(direct).get(user("bob")).unreadCount()).isEqualTo(1);
        assertThat(store.findAll(Map.of())).isEmpty();
    }

    @Test
    void findAllReadsManyMembersOfManyConversations() {
        ConversationStore store = store();
        Map<ConversationId, List<String>> asked = new java.util.LinkedHashMap<>();
        List<ChatMessage> batch = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            ConversationId hall = room("hall" + r);
            List<String> members = new ArrayList<>();
            for (int u = 0; u < 30; u++) {
                store.join(user("guest" + u), hall, null);
                members.add(user("guest" + u));
            }
            asked.put(hall, members);
            for (int m = 0; m <= r; m++) {
                batch.add(message(hall, "host", "welcome " + m));
            }
        }
        store.record(batch);

        Map<ConversationId, Map<String, Conversation>> views = store.findAll(asked);

        assertThat(views).hasSize(3);
        for (int r = 0; r < 3; r++) {
            Map<String, Conversation> hall = views.get(room("hall" + r));
            assertThat(hall).hasSize(30);
            for (Conversation view : hall.values()) {
                assertThat(view.unreadCount()).isEqualTo(r + 1);
                assertThat(view.id()).isEqualTo(room("hall" + r));
            }
        }
    }

    @Test
    void concurrentRecordingAndMarkingStayExact() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        store.join(user("ann"), lobby, null);
        int threads = 4;
        int perThread = 25;
        List<List<ChatMessage>> batches = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<ChatMessage> batch = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                batch.add(message(lobby, "bob", "t" + t + "m" + i));
            }
            batches.add(batch);
        }
        String middle = batches.get(1).get(perThread - 1).id();

        List<KitSupport.Outcome<Object>> outcomes = KitSupport.runConcurrently(threads + 1, timeout(), t -> () -> {
            if (t == threads) {
                return store.markRead(user("ann"), lobby, middle);
            }
            // every batch twice, as a redelivery would
            store.record(batches.get(t));
            store.record(batches.get(t));
            return null;
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(store.find(user("ann"), lobby).orElseThrow().unreadCount())
                .isEqualTo((long) perThread * (threads - 2));
    }

    @Test
    void manyUsersJoiningOneConversationAtOnceAreAllMembersWithExactCounts() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        List<ChatMessage> earlier = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            earlier.add(message(lobby, "bob", "before" + i));
        }
        store.record(earlier);
        String marker = earlier.get(earlier.size() - 1).id();
        List<ChatMessage> later = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            later.add(message(lobby, "bob", "after" + i));
        }
        int joiners = 8;
        int perJoiner = 10;

        // a join storm into one conversation while its next messages are recorded
        List<KitSupport.Outcome<Object>> outcomes = KitSupport.runConcurrently(joiners + 1, timeout(), t -> () -> {
            if (t == joiners) {
                store.record(later);
                return null;
            }
            for (int i = 0; i < perJoiner; i++) {
                store.join(user("j" + t + "-" + i), lobby, marker);
            }
            return null;
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        for (int t = 0; t < joiners; t++) {
            for (int i = 0; i < perJoiner; i++) {
                assertThat(store.find(user("j" + t + "-" + i), lobby))
                        .as("joiner j%d-%d: everything after the marker unread", t, i)
                        .get()
                        .extracting(Conversation::unreadCount)
                        .isEqualTo((long) later.size());
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        ConversationStore store = store();
        ConversationId lobby = room("lobby");
        store.join(user("ann"), lobby, null);

        assertThatThrownBy(() -> store.join(null, lobby, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.join(user("ann"), null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.markRead(user("ann"), lobby, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.record(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.readMarkers(lobby, -1)).isInstanceOf(IllegalArgumentException.class);
        store.record(List.of());
        assertThat(store.find(user("ann"), lobby).orElseThrow().unreadCount()).isZero();
    }

    // ---- helpers: names unique to this test

    /** An e-mail unique to this test, lower-cased. */
    protected final String user(String name) {
        return prefix() + name + "@example.com";
    }

    /** A room conversation unique to this test. */
    protected final ConversationId room(String name) {
        return ConversationId.room(prefix() + name);
    }

    /**
     * A message from {@code sender} (a short name, see {@link #user}) with a fresh time-ordered id, created at the
     * millisecond its id carries: messages made one after the other have strictly increasing times.
     */
    protected final ChatMessage message(ConversationId conversation, String sender, String text) {
        String id = HistoryStoreCompatibilityKit.nextId();
        long millis = java.util.UUID.fromString(id).getMostSignificantBits() >>> 16;
        return new ChatMessage(id, conversation, user(sender), text, false, Instant.ofEpochMilli(millis), null);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
