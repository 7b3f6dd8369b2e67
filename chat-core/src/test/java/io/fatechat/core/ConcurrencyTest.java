package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.EmailTakenException;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.Room;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection and engine methods called at once from many worker threads, as transports do. */
class ConcurrencyTest {

    private static final int THREADS = 8;

    private final ExecutorService workers = Executors.newFixedThreadPool(THREADS);
    private final InMemoryHistoryStore history = new InMemoryHistoryStore();
    private final InMemoryPresenceStore presence = new InMemoryPresenceStore();
    private final ChatEngine engine = TestEngines.builder()
            .historyStore(history)
            .presenceStore(presence)
            .limits(ChatLimits.builder()
                    .messagesPerSecond(10_000)
                    .messageBurst(10_000)
                    .maxRoomsPerConnection(5)
                    .build())
            .build();

    @AfterEach
    void close() throws Exception {
        workers.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        engine.close();
    }

    private <T> List<Future<T>> all(Callable<T> task) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            tasks.add(() -> {
                start.await();
                return task.call();
            });
        }
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> t : tasks) {
            futures.add(workers.submit(t));
        }
        start.countDown();
        return futures;
    }

    @Test
    void concurrentSendsOnOneConnectionAreEachDeliveredAndStoredOnce() throws Exception {
        RecordingSink sink = new RecordingSink();
        engine.attach(sink);
        Room room = engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io");
        alice.joinRoom("General");
        AtomicInteger counter = new AtomicInteger();

        List<Future<List<String>>> results = all(() -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                int n = counter.incrementAndGet();
                ids.add(alice.sendMessage("General", "m" + n, "c" + n)
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS)
                        .id());
            }
            return ids;
        });
        Set<String> ids = new HashSet<>();
        for (Future<List<String>> f : results) {
            ids.addAll(f.get(30, TimeUnit.SECONDS));
        }

        assertThat(ids).hasSize(THREADS * 25);
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.roomMessages.size() == THREADS * 25 + 1);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> history.page(room.conversation(), null, 1000).size() == THREADS * 25 + 1);
        assertThat(history.page(room.conversation(), null, 1000))
                .extracting(ChatMessage::id)
                .doesNotHaveDuplicates();
    }

    @Test
    void concurrentReSendsOfOneClientIdYieldOneMessage() throws Exception {
        RecordingSink sink = new RecordingSink();
        engine.attach(sink);
        Room room = engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io");
        alice.joinRoom("General");

        List<Future<SendReceipt>> results = all(() -> alice.sendMessage("General", "once", "same")
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
        Set<String> ids = new HashSet<>();
        int originals = 0;
        for (Future<SendReceipt> f : results) {
            SendReceipt receipt = f.get(30, TimeUnit.SECONDS);
            ids.add(receipt.id());
            originals += receipt.duplicate() ? 0 : 1;
        }

        assertThat(ids).hasSize(1);
        assertThat(originals).isEqualTo(1);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> history.findByClientId("alice@x.io", TestEngines.storedClientId("General", "same"))
                        .isPresent());
        alice.sendMessage("General", "marker", null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("marker"));
        assertThat(sink.texts("General")).containsOnlyOnce("once");
        assertThat(history.page(room.conversation(), null, 10))
                .extracting(ChatMessage::text)
                .containsOnlyOnce("once");
    }

    @Test
    void concurrentJoinsNeverExceedTheRoomLimit() throws Exception {
        for (int i = 0; i < THREADS; i++) {
            engine.createRoom("alice@x.io", "room" + i);
        }
        ChatConnection alice = engine.connect("alice@x.io");
        AtomicInteger next = new AtomicInteger();

        List<Future<Boolean>> results = all(() -> {
            try {
                alice.joinRoom("room" + next.getAndIncrement());
                return true;
            } catch (RateLimitedException e) {
                return false;
            }
        });
        int joined = 0;
        for (Future<Boolean> f : results) {
            joined += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }

        assertThat(joined).isEqualTo(5);
        assertThat(alice.rooms()).hasSize(5);
        int present = 0;
        for (int i = 0; i < THREADS; i++) {
            present += presence.onlineUsers("room" + i).size();
        }
        assertThat(present).as("no presence from refused joins").isEqualTo(5);
    }

    @Test
    void concurrentRegistrationsOfOneEmailLeaveOneAccount() throws Exception {
        List<Future<Boolean>> results = all(() -> {
            try {
                engine.register("race@x.io", "correct horse");
                return true;
            } catch (EmailTakenException e) {
                return false;
            }
        });
        int created = 0;
        for (Future<Boolean> f : results) {
            created += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(created).isEqualTo(1);
        assertThat(engine.login("race@x.io", "correct horse")).isNotBlank();
    }

    @Test
    void twoTabsJoiningAtOnceAnnounceOneJoin() throws Exception {
        RecordingSink sink = new RecordingSink();
        engine.attach(sink);
        engine.createRoom("alice@x.io", "General");
        List<ChatConnection> tabs = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            tabs.add(engine.connect("alice@x.io"));
        }
        AtomicInteger next = new AtomicInteger();

        for (Future<String> f : all(() -> tabs.get(next.getAndIncrement()).joinRoom("General"))) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("General");
        }
        ChatConnection bob = engine.connect("bob@x.io");
        bob.joinRoom("General");
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("bob@x.io joined the room"));
        assertThat(sink.texts("General")).containsExactly("alice@x.io joined the room", "bob@x.io joined the room");
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> List.of("alice@x.io", "bob@x.io").equals(sink.lastOnlineUsers("General")));
    }
}
