package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.testing.RedisExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Redis goes away under traffic and comes back: a test-owned {@code redis-server} is killed (a crash: it comes
 * back empty) or paused (a hang: it comes back with stale data). Messages keep landing in the history store,
 * recent messages fall back to it, presence fails fast, the outage is logged once, and both the cache and the
 * presence heal by themselves.
 */
class RedisOutageIT {

    private static RedisServerProcess server;
    private static final List<ChatMessage> sent = Collections.synchronizedList(new ArrayList<>());
    private static long lastMillis;

    private RedisConfig config;
    private InMemoryHistoryStore history;
    private RedisRecentMessageCache cache;
    private RedisPresenceStore presence;
    private ListAppender<ILoggingEvent> cacheLog;

    @BeforeAll
    static void startServer() throws Exception {
        server = new RedisServerProcess();
        server.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void open() {
        config = RedisConfig.builder()
                .uri(server.uri())
                .keyPrefix(RedisExtension.uniquePrefix("outage"))
                .commandTimeout(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(1))
                .reconnectDelayMax(Duration.ofMillis(500))
                .build();
        history = new InMemoryHistoryStore();
        cache = new RedisRecentMessageCache(history, config);
        presence = new RedisPresenceStore(config);
        Logger logger = (Logger) LoggerFactory.getLogger(RedisRecentMessageCache.class);
        cacheLog = new ListAppender<>();
        cacheLog.start();
        logger.addAppender(cacheLog);
        sent.clear();
    }

    @AfterEach
    void close() {
        ((Logger) LoggerFactory.getLogger(RedisRecentMessageCache.class)).detachAppender(cacheLog);
        presence.close();
        cache.close();
    }

    @Test
    void aCrashedRedisThatComesBackEmptyLosesNothingAndHeals() throws Exception {
        ConversationId room = ConversationId.room("lobby");
        presence.renewLease("node-1", Duration.ofMinutes(1));
        presence.join("node-1", "node-1/c1", "alice@example.com", "lobby");
        presence.join("node-1", "node-1/c3", "carol@example.com", "lobby");
        send(room, 5);
        assertThat(cache.recent(room, 50)).containsExactlyElementsOf(newestFirst());

        server.kill();

        for (int i = 0; i < 20; i++) {
            send(room, 1); // never throws: the history store has it
        }
        assertThat(cache.recent(room, 50))
                .as("falls back to the history store")
                .containsExactlyElementsOf(newestFirst());
        assertThatThrownBy(() -> presence.onlineUsers("lobby"))
                .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.backend())
                        .isEqualTo("redis"));
        assertThatThrownBy(() -> presence.join("node-1", "node-1/c2", "bob@example.com", "lobby"))
                .isInstanceOf(BackendUnavailableException.class);
        assertThatThrownBy(() -> presence.leave("node-1/c3", "lobby")).isInstanceOf(BackendUnavailableException.class);
        assertThat(warnings())
                .as("the cache outage is logged once, not once per message")
                .hasSize(1);

        server.start();

        // presence: lettuce reconnects; the node's next heartbeat writes its connections again
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreException(BackendUnavailableException.class)
                .untilAsserted(() -> {
                    presence.renewLease("node-1", Duration.ofMinutes(1));
                    assertThat(presence.onlineUsers("lobby"))
                            .as("as the engine believes: failed calls changed nothing")
                            .containsExactly("alice@example.com", "carol@example.com");
                });
        // the cache: refilled from the history store, then kept up to date by appends
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    send(room, 1);
                    assertThat(cache.recent(room, 50)).containsExactlyElementsOf(newestFirst());
                    assertThat(redisZcard(room))
                            .as("served from a refilled cache")
                            .isEqualTo(sent.size());
                });
        assertThat(history.page(room, null, 100)).as("no message lost").containsExactlyElementsOf(newestFirst());
        assertThat(warnings()).hasSize(1);
        assertThat(cacheLog.list)
                .anyMatch(e ->
                        e.getLevel() == Level.INFO && e.getFormattedMessage().contains("available again"));
    }

    @Test
    void aHungRedisThatComesBackWithStaleDataIsNotTrusted() throws Exception {
        ConversationId room = ConversationId.room("hang-" + UUID.randomUUID());
        send(room, 3);
        assertThat(cache.recent(room, 50)).hasSize(3); // filled

        server.pause();
        try {
            send(room, 2); // these cache writes time out: Redis still has the old, filled cache
            assertThat(cache.recent(room, 50)).containsExactlyElementsOf(newestFirst());
        } finally {
            server.resume();
        }

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertThat(cache.recent(room, 50)).containsExactlyElementsOf(newestFirst());
                    assertThat(redisZcard(room))
                            .as("served from the refilled cache")
                            .isEqualTo(sent.size());
                });
        // and a second node that never saw the failure does not trust the stale cache either
        try (RedisRecentMessageCache otherNode = new RedisRecentMessageCache(history, config)) {
            assertThat(otherNode.recent(room, 50)).containsExactlyElementsOf(newestFirst());
        }
    }

    @Test
    void aNodeStartedWhileRedisIsDownConnectsWhenItComesUp() throws Exception {
        try (RedisServerProcess late = new RedisServerProcess()) {
            RedisConfig lateConfig = config.toBuilder().uri(late.uri()).build();
            try (RedisPresenceStore store = new RedisPresenceStore(lateConfig);
                    RedisRecentMessageCache lateCache = new RedisRecentMessageCache(history, lateConfig)) {
                ConversationId room = ConversationId.room("late");
                send(room, 2);
                assertThatThrownBy(() -> store.renewLease("node-late", Duration.ofMinutes(1)))
                        .isInstanceOf(BackendUnavailableException.class);
                assertThat(lateCache.recent(room, 10))
                        .as("from the history store")
                        .hasSize(2);

                late.start();

                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .ignoreException(BackendUnavailableException.class)
                        .untilAsserted(() -> {
                            store.renewLease("node-late", Duration.ofMinutes(1));
                            store.join("node-late", "node-late/c1", "dora@example.com", "late");
                            assertThat(store.onlineUsers("late")).containsExactly("dora@example.com");
                        });
                assertThat(lateCache.recent(room, 10)).containsExactlyElementsOf(newestFirst());
            }
        }
    }

    private void send(ConversationId room, int count) {
        List<ChatMessage> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(new ChatMessage(
                    nextId(),
                    room,
                    "alice@example.com",
                    "m" + sent.size() + batch.size(),
                    false,
                    Instant.now(),
                    "c-" + UUID.randomUUID()));
        }
        cache.append(batch);
        sent.addAll(batch);
    }

    private long redisZcard(ConversationId room) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(server.uri());
        try (var connection = client.connect()) {
            return connection.sync().zcard(config.keyPrefix() + "recent:ids:" + room.key());
        } finally {
            client.shutdown();
        }
    }

    private List<String> warnings() {
        return cacheLog.list.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static List<ChatMessage> newestFirst() {
        List<ChatMessage> copy = new ArrayList<>(sent);
        Collections.reverse(copy);
        return copy;
    }

    /** UUIDv7-like ids, one millisecond apart, so they order as strings in sending order. */
    private static synchronized String nextId() {
        lastMillis = Math.max(lastMillis + 1, System.currentTimeMillis());
        UUID random = UUID.randomUUID();
        long msb = (lastMillis << 16) | 0x7000L | (random.getMostSignificantBits() & 0x0FFFL);
        long lsb = (random.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
