package io.fatechat.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.AckPoint;
import io.fatechat.core.ChatConnection;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatLimits;
import io.fatechat.core.SendReceipt;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDBC history store behind the real {@link ChatEngine} and its in-memory bus, whose persister group retries a
 * failed batch with back-off: messages land exactly once, in order, through injected failures and a real outage.
 */
abstract class PersisterContract {

    static final int USERS = 4;
    static final int ROOMS = 4;

    TestDatabase database;
    TcpProxy proxy;
    JdbcChatStores stores;
    FlakyHistoryStore history;
    ChatEngine engine;
    List<String> users;
    List<String> rooms;
    List<ChatConnection> connections;
    /** Per conversation, the ids of the messages sent to it (not join events), in send order. */
    final Map<ConversationId, List<String>> sent = new LinkedHashMap<>();

    abstract TestDatabase newDatabase();

    @BeforeEach
    void createDatabase() {
        database = newDatabase();
    }

    /** Starts stores and engine; {@code throughProxy} puts a {@link TcpProxy} in front so the test can cut it. */
    void startEngine(boolean throughProxy) throws Exception {
        if (throughProxy) {
            proxy = new TcpProxy(database.serverPort());
            stores = JdbcChatStores.start(database.configVia(proxy).build());
        } else {
            stores = JdbcChatStores.start(database.config().build());
        }
        history = new FlakyHistoryStore(stores.history(), 11, 7);
        // The persister group as it runs on Kafka: ack on the bus, history written behind it.
        engine = ChatEngine.builder()
                .ackPoint(AckPoint.BUS)
                .userStore(stores.users())
                .roomStore(stores.rooms())
                .historyStore(history)
                .limits(ChatLimits.builder()
                        .messagesPerSecond(1_000_000)
                        .messageBurst(1_000_000)
                        .build())
                .build();
        users = new ArrayList<>();
        connections = new ArrayList<>();
        rooms = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            String email = "user" + u + "@example.com";
            stores.users().create(new User(email, "$2a$04$not.a.real.hash", Instant.now()));
            users.add(email);
        }
        for (int r = 0; r < ROOMS; r++) {
            rooms.add(engine.createRoom(users.get(0), "room " + r + " 🎲").name());
        }
        for (String user : users) {
            ChatConnection connection = engine.connect(user);
            for (String room : rooms) {
                connection.joinRoom(room);
            }
            connections.add(connection);
        }
    }

    @AfterEach
    void stopEngine() {
        if (engine != null) {
            engine.close();
        }
        if (stores != null) {
            stores.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aBurstOfTenThousandMessagesLandsExactlyOnceInOrderPerConversation() throws Exception {
        startEngine(false);
        List<CompletableFuture<SendReceipt>> receipts = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            receipts.add(send(i, "c" + i));
            if (i % 100 == 0) {
                // a client re-sending under the same client id: acknowledged with the original id, never stored twice
                SendReceipt again = send(i, "c" + i).join();
                assertThat(again.duplicate()).isTrue();
                assertThat(again.id()).isEqualTo(receipts.get(i).join().id());
            }
        }
        CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).join();

        awaitEverythingStored(10_000);
        assertThat(history.injectedFailures)
                .as("batches failed and redelivered")
                .hasPositiveValue();
        assertStoredExactlyOnceInOrder();
    }

    @Test
    void anOutageDuringWritesLosesNothing() throws Exception {
        startEngine(true);
        for (int i = 0; i < 1000; i++) {
            send(i, "c" + i).join();
        }
        proxy.cut();
        // No client ids while the database is down: the engine's re-send lookup would wait out the pool each time.
        for (int i = 1000; i < 1300; i++) {
            send(i, null).join();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(history.realFailures)
                .as("appends that met the outage")
                .hasPositiveValue());
        proxy.restore();
        for (int i = 1300; i < 2000; i++) {
            send(i, "c" + i).join();
        }

        awaitEverythingStored(2000);
        assertStoredExactlyOnceInOrder();
    }

    /** Message {@code i}: from user i % 4; every tenth a private message to the next user, else to a room. */
    private CompletableFuture<SendReceipt> send(int i, String clientId) {
        int sender = i % USERS;
        ChatConnection connection = connections.get(sender);
        CompletableFuture<SendReceipt> receipt;
        ConversationId conversation;
        if (i % 10 == 9) {
            String to = users.get((sender + 1) % USERS);
            conversation = ConversationId.direct(users.get(sender), to);
            receipt = connection
                    .sendPrivateMessage(to, "private " + i + " ✉️", clientId)
                    .toCompletableFuture();
        } else {
            String room = rooms.get((i / USERS) % ROOMS);
            conversation = ConversationId.room(room);
            receipt = connection
                    .sendMessage(room, "message " + i + " — héllo 世界", clientId)
                    .toCompletableFuture();
        }
        return receipt.thenApply(r -> {
            if (!r.duplicate()) {
                synchronized (sent) {
                    sent.computeIfAbsent(conversation, c -> new ArrayList<>()).add(r.id());
                }
            }
            return r;
        });
    }

    private void awaitEverythingStored(int expected) {
        // A read may meet the pool still busy with the persister's retries or a connection the outage broke: the
        // store says so with BackendUnavailableException, which means "ask again", not "lost".
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .ignoreException(BackendUnavailableException.class)
                .untilAsserted(() -> assertThat(sent.keySet().stream()
                                .mapToInt(c -> storedMessages(c).size())
                                .sum())
                        .isEqualTo(expected));
    }

    private void assertStoredExactlyOnceInOrder() {
        synchronized (sent) {
            assertThat(sent.values().stream().mapToInt(List::size).sum())
                    .isEqualTo(sent.keySet().stream()
                            .mapToInt(c -> storedMessages(c).size())
                            .sum());
            for (Map.Entry<ConversationId, List<String>> conversation : sent.entrySet()) {
                List<ChatMessage> stored = storedMessages(conversation.getKey());
                List<String> oldestFirst =
                        new ArrayList<>(stored.stream().map(ChatMessage::id).toList());
                Collections.reverse(oldestFirst);
                assertThat(oldestFirst)
                        .as("messages of %s, oldest first", conversation.getKey())
                        .containsExactlyElementsOf(conversation.getValue());
                assertThat(stored).allSatisfy(m -> assertThat(m.conversation()).isEqualTo(conversation.getKey()));
            }
        }
        // every join was stored once too, as an event message
        long joins = rooms.stream()
                .mapToLong(r -> all(ConversationId.room(r)).stream()
                        .filter(ChatMessage::event)
                        .count())
                .sum();
        assertThat(joins).isEqualTo((long) USERS * ROOMS);
    }

    /** Every stored message of a conversation except join events, newest first, read page by page. */
    private List<ChatMessage> storedMessages(ConversationId conversation) {
        return all(conversation).stream().filter(m -> !m.event()).toList();
    }

    private List<ChatMessage> all(ConversationId conversation) {
        HistoryStore store = stores.history();
        List<ChatMessage> all = new ArrayList<>();
        String before = null;
        while (true) {
            List<ChatMessage> page = store.page(conversation, before, 500);
            all.addAll(page);
            if (page.size() < 500) {
                return all;
            }
            before = page.get(page.size() - 1).id();
        }
    }
}
