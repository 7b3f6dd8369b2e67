package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.support.ChatMessageJson;
import io.fatechat.tck.HistoryStoreCompatibilityKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The history kit through the cache in front of the in-memory history, plus the cache's own behaviour. */
class RedisRecentMessageCacheCompatibilityIT extends HistoryStoreCompatibilityKit {

    private static final int CAP = 10;

    @RegisterExtension
    static final RedisStoreFixture REDIS =
            RedisStoreFixture.withPrefix("recent", b -> b.recentCacheSize(CAP).recentCacheTtl(Duration.ofMinutes(10)));

    @Override
    protected HistoryStore newStore() {
        return new RedisRecentMessageCache(new InMemoryHistoryStore(), REDIS.config());
    }

    private RedisRecentMessageCache cache() {
        return (RedisRecentMessageCache) store();
    }

    private String idsKey(ConversationId c) {
        return REDIS.keyPrefix() + "recent:ids:" + c.key();
    }

    private List<ChatMessage> send(HistoryStore store, ConversationId c, int count) {
        List<ChatMessage> sent = IntStream.range(0, count)
                .mapToObj(i -> message(c, user("u" + (i % 3)), "m" + i, "c" + nextId()))
                .toList();
        store.append(sent);
        return sent;
    }

    private static List<ChatMessage> newestFirst(List<ChatMessage> messages) {
        List<ChatMessage> copy = new ArrayList<>(messages);
        Collections.reverse(copy);
        return copy;
    }

    @Test
    void recentIsServedFromRedisOnceFilled() {
        RedisRecentMessageCache cache = cache();
        ConversationId room = roomConversation("served");
        List<ChatMessage> sent = send(cache, room, 4);
        assertThat(cache.recent(room, 4)).containsExactlyElementsOf(newestFirst(sent));

        // a message that bypasses the cache is invisible to recent() until the cache is refilled: proof that
        // recent() reads Redis, not the delegate
        ChatMessage bypass = message(room, user("x"), "bypass", null);
        cache.delegate().append(List.of(bypass));

        assertThat(cache.recent(room, 10)).containsExactlyElementsOf(newestFirst(sent));
        assertThat(cache.page(room, null, 10))
                .as("first page from the cache too")
                .containsExactlyElementsOf(newestFirst(sent));
        assertThat(cache.page(room, sent.get(1).id(), 10))
                .as("later pages from the delegate")
                .containsExactly(sent.get(0));
    }

    @Test
    void theCacheKeepsTheNewestCapMessagesAndLongerReadsGoToTheDelegate() {
        RedisRecentMessageCache cache = cache();
        ConversationId room = roomConversation("capped");
        List<ChatMessage> first = send(cache, room, 6);
        assertThat(cache.recent(room, 3))
                .containsExactlyElementsOf(newestFirst(first).subList(0, 3));
        List<ChatMessage> more = send(cache, room, 9);
        List<ChatMessage> all = new ArrayList<>(first);
        all.addAll(more);

        assertThat(REDIS.commands().zcard(idsKey(room))).isEqualTo(CAP);
        assertThat(REDIS.commands().hlen(REDIS.keyPrefix() + "recent:msgs:" + room.key()))
                .isEqualTo(CAP);
        assertThat(cache.recent(room, CAP))
                .containsExactlyElementsOf(newestFirst(all).subList(0, CAP));
        assertThat(cache.recent(room, 15)).containsExactlyElementsOf(newestFirst(all));
    }

    @Test
    void aMissRefillsFromTheDelegate() {
        RedisRecentMessageCache cache = cache();
        ConversationId room = roomConversation("refill");
        List<ChatMessage> sent = send(cache, room, 5);
        assertThat(cache.recent(room, 5)).hasSize(5);

        REDIS.commands().del(idsKey(room), REDIS.keyPrefix() + "recent:filled:" + room.key());

        assertThat(cache.recent(room, 5)).containsExactlyElementsOf(newestFirst(sent));
        assertThat(REDIS.commands().zcard(idsKey(room))).as("refilled").isEqualTo(5);
    }

    @Test
    void concurrentWritersOnTwoNodesKeepOrderAndUniqueness() {
        HistoryStore delegate = new InMemoryHistoryStore();
        // two nodes: two caches (two Redis connections) in front of one durable store
        try (RedisRecentMessageCache nodeA = new RedisRecentMessageCache(delegate, REDIS.config());
                RedisRecentMessageCache nodeB = new RedisRecentMessageCache(delegate, REDIS.config())) {
            ConversationId room = roomConversation("two-writers");
            nodeA.recent(room, 1); // filled while empty: from here on appends keep it complete
            List<ChatMessage> sent = IntStream.range(0, 40)
                    .mapToObj(i -> message(room, user("u"), "m" + i, i % 4 == 0 ? "dup-" + i : null))
                    .toList();
            List<ChatMessage> resends = sent.stream()
                    .filter(m -> m.clientId() != null)
                    .map(m -> message(room, m.sender(), "re-send", m.clientId()))
                    .toList();
            List<ChatMessage> shuffled = new ArrayList<>(sent);
            Collections.shuffle(shuffled);

            Thread a = new Thread(() -> shuffled.subList(0, 20).forEach(m -> nodeA.append(List.of(m))));
            Thread b = new Thread(() -> {
                shuffled.subList(20, 40).forEach(m -> nodeB.append(List.of(m)));
                nodeB.append(resends);
                nodeB.append(sent.subList(0, 10));
            });
            a.start();
            b.start();
            join(a);
            join(b);

            // which of an original and its re-send was stored first is up to the race: the store decides
            List<ChatMessage> expected = delegate.page(room, null, CAP);
            assertThat(expected)
                    .extracting(ChatMessage::clientId)
                    .filteredOn(c -> c != null)
                    .doesNotHaveDuplicates();
            assertThat(nodeA.recent(room, CAP)).containsExactlyElementsOf(expected);
            assertThat(nodeB.recent(room, CAP)).containsExactlyElementsOf(expected);
            assertThat(REDIS.commands().hlen(REDIS.keyPrefix() + "recent:cids:" + room.key()))
                    .as("client keys are trimmed with their messages")
                    .isLessThanOrEqualTo(CAP);
        }
    }

    @Test
    void aReSendThatWonTheRaceInTheCacheIsReplacedByTheStoredOne() {
        RedisRecentMessageCache cache = cache();
        ConversationId room = roomConversation("race");
        cache.recent(room, 1);
        ChatMessage stored = message(room, user("alice"), "stored", "same");
        ChatMessage loser = message(room, user("alice"), "lost the race", "same");
        cache.delegate().append(List.of(stored));
        // the loser's cache write landed first (as it can across nodes), then the winner's arrives
        cache.append(List.of(loser));
        cache.append(List.of(stored));

        assertThat(cache.recent(room, 5)).containsExactly(stored);
    }

    @Test
    void anUnreadableCacheEntryFallsBackToTheDelegate() {
        RedisRecentMessageCache cache = cache();
        ConversationId room = roomConversation("corrupt");
        List<ChatMessage> sent = send(cache, room, 3);
        assertThat(cache.recent(room, 3)).hasSize(3);

        String msgsKey = REDIS.keyPrefix() + "recent:msgs:" + room.key();
        REDIS.commands().hset(msgsKey, sent.get(2).id(), "{broken");

        assertThat(cache.recent(room, 3)).containsExactlyElementsOf(newestFirst(sent));
        assertThat(REDIS.commands().hget(msgsKey, sent.get(2).id()))
                .as("repaired from the store")
                .isEqualTo(ChatMessageJson.encodeToString(sent.get(2)));
        assertThat(cache.recent(room, 3)).containsExactlyElementsOf(newestFirst(sent));
    }

    private static void join(Thread t) {
        try {
            t.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(t.isAlive()).as("writer finished").isFalse();
    }
}
