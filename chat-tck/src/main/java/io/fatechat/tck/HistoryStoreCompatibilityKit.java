package io.fatechat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The {@link HistoryStore} contract as tests. A backend proves itself by extending this class:
 *
 * <pre>{@code
 * class MariaDbHistoryStoreCompatibilityIT extends HistoryStoreCompatibilityKit {
 *     static JdbcChatStores stores;                // started once per class on a throwaway database
 *
 *     @Override
 *     protected HistoryStore newStore() {     // the same database for every store of a test
 *         return stores.history();
 *     }
 * }
 * }</pre>
 *
 * Messages carry UUIDv7 ids (as the engine makes them), creation times at millisecond precision, and rooms and
 * users unique per test, so the kit can share a database with other runs.
 */
public abstract class HistoryStoreCompatibilityKit extends StoreCompatibilityKit<HistoryStore> {

    /** Makes a store connected to the same backend as every other store made during the current test. */
    @Override
    protected abstract HistoryStore newStore();

    private static final Random RANDOM = new SecureRandom();
    /** Strictly increasing milliseconds, so ids made one after the other also order as strings. */
    private static final AtomicLong LAST_MILLIS = new AtomicLong();

    @Test
    void storesEveryFieldAndReturnsNewestFirst() {
        HistoryStore store = store();
        ConversationId room = roomConversation("lobby");
        ChatMessage first = message(room, user("alice"), "héllo 👋 — \"quoted\" 'text'", "client-1");
        ChatMessage second = new ChatMessage(nextId(), room, user("bob"), "bob joined the room", true, now(), null);
        ChatMessage third = message(room, user("alice"), "third", null);

        store.append(List.of(first, second, third));

        assertThat(store.page(room, null, 10)).containsExactly(third, second, first);
        assertThat(store.recent(room, 10)).containsExactly(third, second, first);
    }

    @Test
    void emptyConversationHasNoMessages() {
        HistoryStore store = store();

        assertThat(store.page(roomConversation("empty"), null, 10)).isEmpty();
        assertThat(store.recent(directConversation("a", "b"), 10)).isEmpty();
    }

    @Test
    void limitCapsThePageAtTheNewestMessages() {
        HistoryStore store = store();
        ConversationId room = roomConversation("lobby");
        List<ChatMessage> sent = messages(room, 8);
        store.append(sent);

        assertThat(store.page(room, null, 3)).containsExactly(sent.get(7), sent.get(6), sent.get(5));
        assertThat(store.recent(room, 1)).containsExactly(sent.get(7));
    }

    @Test
    void pagesWalkBackwardsWithTheBeforeCursor() {
        HistoryStore store = store();
        ConversationId room = roomConversation("lobby");
        List<ChatMessage> sent = messages(room, 25);
        store.append(sent);

        List<ChatMessage> walked = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String before = null;
        for (int i = 0; i < 5; i++) {
            List<ChatMessage> page = store.page(room, before, 10);
            pageSizes.add(page.size());
            if (page.isEmpty()) {
                break;
            }
            walked.addAll(page);
            before = page.get(page.size() - 1).id();
        }

        assertThat(pageSizes).containsExactly(10, 10, 5, 0);
        List<ChatMessage> newestFirst = new ArrayList<>(sent);
        Collections.reverse(newestFirst);
        assertThat(walked).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void beforeCursorIsExclusiveAndNeedNotBeAStoredId() {
        HistoryStore store = store();
        ConversationId room = roomConversation("lobby");
        List<ChatMessage> sent = messages(room, 4);
        store.append(sent);

        assertThat(store.page(room, sent.get(2).id(), 10)).containsExactly(sent.get(1), sent.get(0));
        assertThat(store.page(room, sent.get(0).id(), 10)).isEmpty();
        assertThat(store.page(room, nextId(), 2))
                .as("a cursor newer than everything")
                .containsExactly(sent.get(3), sent.get(2));
    }

    @Test
    void afterReadsForwardOldestFirstFromAnExclusiveId() {
        HistoryStore store = store();
        ConversationId room = roomConversation("lobby");
        ConversationId other = roomConversation("other");
        List<ChatMessage> sent = messages(room, 6);
        store.append(sent);
        store.append(messages(other, 2));

        assertThat(store.after(room, sent.get(2).id(), 10)).containsExactlyElementsOf(sent.subList(3, 6));
        assertThat(store.after(room, sent.get(0).id(), 2))
                .as("limit keeps the oldest")
                .containsExactly(sent.get(1), sent.get(2));
        assertThat(store.after(room, sent.get(5).id(), 10)).isEmpty();
        assertThat(store.after(room, "00000000-0000-7000-8000-000000000000", 10))
                .as("an id older than everything")
                .containsExactlyElementsOf(sent);
        assertThat(store.after(room, sent.get(0).id(), 0)).isEmpty();
        assertThat(store.after(roomConversation("empty"), sent.get(0).id(), 10)).isEmpty();
    }

    @Test
    void afterReadsAPrivateConversationApartFromOthers() {
        HistoryStore store = store();
        ConversationId ab = directConversation("a", "b");
        ConversationId ac = directConversation("a", "c");
        List<ChatMessage> first = messages(ab, 3);
        store.append(first);
        store.append(messages(ac, 3));

        assertThat(store.after(ab, first.get(0).id(), 10)).containsExactly(first.get(1), first.get(2));
    }

    @Test
    void ordersByIdNotByArrival() {
        HistoryStore store = store();
        ConversationId room = roomConversation("lobby");
        List<ChatMessage> sent = messages(room, 12);
        List<ChatMessage> shuffled = new ArrayList<>(sent);
        Collections.shuffle(shuffled, RANDOM);

        store.append(shuffled.subList(0, 6));
        store.append(shuffled.subList(6, 12));

        List<ChatMessage> newestFirst = new ArrayList<>(sent);
        Collections.reverse(newestFirst);
        assertThat(store.page(room, null, 20)).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void roomsAndPrivateConversationsAreKeptApart() {
        HistoryStore store = store();
        ConversationId lobby = roomConversation("lobby");
        ConversationId games = roomConversation("games");
        ConversationId aliceBob = directConversation("alice", "bob");
        ConversationId aliceCarol = directConversation("alice", "carol");
        ChatMessage inLobby = message(lobby, user("alice"), "lobby", null);
        ChatMessage inGames = message(games, user("alice"), "games", null);
        ChatMessage toBob = message(aliceBob, user("alice"), "hi bob", null);
        ChatMessage toCarol = message(aliceCarol, user("alice"), "hi carol", null);
        ChatMessage fromBob = message(directConversation("bob", "alice"), user("bob"), "hi alice", null);

        store.append(List.of(inLobby, inGames, toBob, toCarol, fromBob));

        assertThat(store.page(lobby, null, 10)).containsExactly(inLobby);
        assertThat(store.page(games, null, 10)).containsExactly(inGames);
        assertThat(store.page(aliceBob, null, 10)).containsExactly(fromBob, toBob);
        assertThat(store.page(directConversation("bob", "alice"), null, 10)).containsExactly(fromBob, toBob);
        assertThat(store.page(aliceCarol, null, 10)).containsExactly(toCarol);
    }

    @Test
    void appendIsIdempotentById() {
        HistoryStore store = store();
        ConversationId room = roomConversation("lobby");
        ChatMessage original = message(room, user("alice"), "original", null);
        store.append(List.of(original));

        ChatMessage sameId = new ChatMessage(original.id(), room, user("alice"), "changed", false, now(), null);
        store.append(List.of(original));
        store.append(List.of(sameId));

        assertThat(store.page(room, null, 10)).containsExactly(original);
    }

    @Test
    void appendIsIdempotentBySenderAndClientId() {
        HistoryStore store = store();
        ConversationId room = roomConversation("lobby");
        ChatMessage original = message(room, user("alice"), "original", "c-1");
        ChatMessage resend = message(room, user("alice"), "original", "c-1");
        ChatMessage otherSender = message(room, user("bob"), "same client id, other sender", "c-1");

        store.append(List.of(original));
        store.append(List.of(resend, otherSender));

        assertThat(store.page(room, null, 10)).containsExactly(otherSender, original);
        assertThat(store.findByClientId(user("alice"), "c-1")).contains(original);
        assertThat(store.findByClientId(user("bob"), "c-1")).contains(otherSender);
    }

    @Test
    void duplicatesWithinOneBatchAreStoredOnce() {
        HistoryStore store = store();
        ConversationId room = roomConversation("lobby");
        ChatMessage first = message(room, user("alice"), "first", "c-1");
        ChatMessage sameClientId = message(room, user("alice"), "again", "c-1");
        ChatMessage other = message(room, user("alice"), "other", null);

        store.append(List.of(first, first, sameClientId, other, other));

        assertThat(store.page(room, null, 10)).containsExactly(other, first);
        assertThat(store.findByClientId(user("alice"), "c-1")).contains(first);
    }

    @Test
    void redeliveredBatchChangesNothing() {
        HistoryStore store = store();
        ConversationId room = roomConversation("lobby");
        List<ChatMessage> sent = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            sent.add(message(room, user("u" + (i % 3)), "m" + i, i % 2 == 0 ? "c-" + i : null));
        }

        store.append(sent.subList(0, 10));
        store.append(sent.subList(0, 10));
        store.append(sent);
        store.append(sent.subList(5, 15));

        List<ChatMessage> newestFirst = new ArrayList<>(sent);
        Collections.reverse(newestFirst);
        assertThat(store.page(room, null, 100)).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void findByClientIdOfUnknownIsEmpty() {
        HistoryStore store = store();
        store.append(List.of(message(roomConversation("lobby"), user("alice"), "x", "known")));

        assertThat(store.findByClientId(user("alice"), "unknown")).isEmpty();
        assertThat(store.findByClientId(user("bob"), "known")).isEmpty();
    }

    @Test
    void appendEmptyBatchDoesNothing() {
        HistoryStore store = store();

        store.append(List.of());

        assertThat(store.page(roomConversation("lobby"), null, 10)).isEmpty();
    }

    @Test
    void concurrentWritersOfOverlappingBatchesStoreEachMessageOnce() {
        HistoryStore store = store();
        ConversationId room = roomConversation("busy");
        List<ChatMessage> sent = messages(room, 60);
        int threads = 4;

        List<KitSupport.Outcome<Void>> outcomes = KitSupport.runConcurrently(threads, timeout(), t -> () -> {
            // Each writer appends everything, in its own order and batch sizes, as redelivering persisters would.
            List<ChatMessage> mine = new ArrayList<>(sent);
            Collections.shuffle(mine, new Random(t));
            for (int from = 0; from < mine.size(); from += 7 + t) {
                store.append(mine.subList(from, Math.min(mine.size(), from + 7 + t)));
            }
            return null;
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        List<ChatMessage> newestFirst = new ArrayList<>(sent);
        Collections.reverse(newestFirst);
        assertThat(store.page(room, null, 100)).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void concurrentResendsWithOneClientIdStoreOneMessage() {
        HistoryStore store = store();
        ConversationId room = roomConversation("busy");
        int threads = 6;
        List<ChatMessage> attempts = IntStream.range(0, threads)
                .mapToObj(i -> message(room, user("alice"), "attempt " + i, "same-client-id"))
                .toList();

        List<KitSupport.Outcome<Void>> outcomes = KitSupport.runConcurrently(threads, timeout(), t -> () -> {
            store.append(List.of(attempts.get(t)));
            return null;
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        List<ChatMessage> stored = store.page(room, null, 100);
        assertThat(stored).hasSize(1);
        assertThat(attempts).contains(stored.get(0));
        assertThat(store.findByClientId(user("alice"), "same-client-id")).contains(stored.get(0));
    }

    // ---- helpers: names unique to this test, ids as the engine makes them

    protected final String user(String name) {
        return prefix() + name + "@example.com";
    }

    protected final ConversationId roomConversation(String name) {
        return ConversationId.room(prefix() + name);
    }

    protected final ConversationId directConversation(String userA, String userB) {
        return ConversationId.direct(user(userA), user(userB));
    }

    /** A message with a fresh id, newer than every message made before it. */
    protected final ChatMessage message(ConversationId conversation, String sender, String text, String clientId) {
        return new ChatMessage(nextId(), conversation, sender, text, false, now(), clientId);
    }

    private List<ChatMessage> messages(ConversationId conversation, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> message(conversation, user("u" + (i % 3)), "m" + i, null))
                .toList();
    }

    /** Time at the millisecond precision databases keep. */
    private static Instant now() {
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }

    /**
     * A UUIDv7 in canonical form. Each id takes a millisecond of its own (running ahead of the clock when
     * needed), so ids made in sequence compare as strings in creation order.
     */
    protected static String nextId() {
        long millis = LAST_MILLIS.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
        long msb = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
