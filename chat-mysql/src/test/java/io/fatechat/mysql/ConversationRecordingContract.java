package io.fatechat.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.f4b6a3.uuid.UuidCreator;
import com.zaxxer.hikari.HikariDataSource;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link JdbcConversationStore#record} writes a group-committed batch, run against each supported database by
 * a subclass: a fixed number of statements however many conversations and senders the batch touches, and exact
 * counts when batches over the same conversations commit concurrently, out of id order and twice.
 */
abstract class ConversationRecordingContract {

    private TestDatabase database;
    private HikariDataSource pool;
    private final AtomicInteger statementsPrepared = new AtomicInteger();
    private JdbcChatStores stores;

    abstract TestDatabase newDatabase();

    @BeforeEach
    void openStores() {
        database = newDatabase();
        JdbcStoreConfig config = database.config().build();
        pool = JdbcStoresContract.hostPool(config);
        stores = JdbcChatStores.start(config, countingStatements(pool));
    }

    @AfterEach
    void closeStores() {
        if (stores != null) {
            stores.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aBatchTakesAsManyStatementsForSixtyConversationsAndSendersAsForTwo() {
        ConversationStore store = stores.conversations();
        int small = statementsToRecordAgain(store, 2, 2);
        int large = statementsToRecordAgain(store, 60, 10);

        assertThat(large)
                .as("statements for 60 rooms x 10 senders (600 messages) against 2 rooms x 2 senders")
                .isEqualTo(small);
        // lock the rows, read the markers, then a batch each of ids, conversation rows and sender markers
        assertThat(small).isLessThanOrEqualTo(6);
    }

    /**
     * Records one message per sender in each of {@code rooms} fresh rooms whose senders are members, then counts
     * the statements a second such batch takes (the first also creates the conversation rows).
     */
    private int statementsToRecordAgain(ConversationStore store, int rooms, int senders) {
        String run = UuidCreator.getTimeOrderedEpoch().toString().substring(0, 8);
        List<ConversationId> conversations = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            ConversationId room = ConversationId.room(run + "-room-" + r);
            conversations.add(room);
            for (int s = 0; s < senders; s++) {
                store.join(sender(run, s), room, null);
            }
        }
        store.record(oneEach(conversations, run, senders));
        List<ChatMessage> second = oneEach(conversations, run, senders);

        int before = statementsPrepared.get();
        store.record(second);
        int statements = statementsPrepared.get() - before;

        for (ConversationId room : conversations) {
            for (int s = 0; s < senders; s++) {
                Conversation view = store.find(sender(run, s), room).orElseThrow();
                // everything up to its own newest message is read; the later senders' messages are not
                assertThat(view.unreadCount())
                        .as("unread of sender %d in %s", s, room)
                        .isEqualTo(senders - 1 - s);
            }
        }
        return statements;
    }

    private static List<ChatMessage> oneEach(List<ConversationId> conversations, String run, int senders) {
        List<ChatMessage> batch = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            for (ConversationId room : conversations) {
                batch.add(message(room, sender(run, s)));
            }
        }
        return batch;
    }

    @Test
    void concurrentOverlappingBatchesOutOfIdOrderAndRedeliveredKeepEveryCountExact() throws Exception {
        ConversationStore store = stores.conversations();
        int rooms = 5;
        int users = 8;
        int writers = 4;
        List<ConversationId> conversations = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            ConversationId room = ConversationId.room("shared-" + r);
            conversations.add(room);
            for (int u = 0; u < users; u++) {
                store.join(user(u), room, null);
            }
        }
        // ids in one time order, dealt round-robin to the writers: their batches interleave in id order
        List<ChatMessage> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            all.add(message(conversations.get((i * 7) % rooms), user((i * 3) % users)));
        }
        List<List<List<ChatMessage>>> batchesByWriter = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            List<List<ChatMessage>> batches = new ArrayList<>();
            List<ChatMessage> mine = new ArrayList<>();
            for (int i = w; i < all.size(); i += writers) {
                mine.add(all.get(i));
            }
            for (int from = 0; from < mine.size(); from += 20) {
                batches.add(mine.subList(from, Math.min(mine.size(), from + 20)));
            }
            batchesByWriter.add(batches);
        }

        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<List<ChatMessage>> batches : batchesByWriter) {
                done.add(pool.submit(() -> {
                    for (List<ChatMessage> batch : batches) {
                        store.record(batch);
                        store.record(batch); // a redelivery
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        // unread = the messages above the user's own newest one in the room (all of them if it sent none)
        for (ConversationId room : conversations) {
            List<ChatMessage> inRoom =
                    all.stream().filter(m -> m.conversation().equals(room)).toList();
            Map<String, String> newestOwn = new HashMap<>();
            for (ChatMessage m : inRoom) {
                newestOwn.merge(m.sender(), m.id(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
            for (int u = 0; u < users; u++) {
                String marker = newestOwn.get(user(u));
                long expected = inRoom.stream()
                        .filter(m -> marker == null || m.id().compareTo(marker) > 0)
                        .count();
                Conversation view = store.find(user(u), room).orElseThrow();
                assertThat(view.unreadCount())
                        .as("unread of %s in %s", user(u), room)
                        .isEqualTo(expected);
                assertThat(view.readMessageId())
                        .as("marker of %s in %s", user(u), room)
                        .isEqualTo(marker);
                assertThat(view.lastMessage().id())
                        .as("newest of %s", room)
                        .isEqualTo(inRoom.get(inRoom.size() - 1).id());
            }
        }
    }

    private static String user(int u) {
        return "user" + u + "@example.com";
    }

    private static String sender(String run, int s) {
        return run + "-sender" + s + "@example.com";
    }

    private static ChatMessage message(ConversationId conversation, String sender) {
        return new ChatMessage(
                UuidCreator.getTimeOrderedEpoch().toString(),
                conversation,
                sender,
                "hello",
                false,
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                null);
    }

    /** The pool, counting every statement prepared or created on its connections. */
    private DataSource countingStatements(DataSource target) {
        InvocationHandler onDataSource = (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            if (result instanceof Connection connection) {
                return Proxy.newProxyInstance(
                        getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                            if (m.getName().equals("prepareStatement")
                                    || m.getName().equals("createStatement")
                                    || m.getName().equals("prepareCall")) {
                                statementsPrepared.incrementAndGet();
                            }
                            return invoke(connection, m, a);
                        });
            }
            return result;
        };
        return (DataSource)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, onDataSource);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
