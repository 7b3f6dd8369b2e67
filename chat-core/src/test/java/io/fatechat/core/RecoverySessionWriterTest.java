package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.memory.InMemoryRecoverySessionStore;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.RecoverySession;
import io.fatechat.spi.RecoverySessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The recovery sessions of live connections, written behind the sockets in batches, the latest change per pid. */
@Timeout(30)
class RecoverySessionWriterTest {

    private static final String OFFSET = "0190f5a4-0000-7000-8000-000000000000";

    private final GatedStore store = new GatedStore();
    private RecoverySessionWriter writer;

    @AfterEach
    void close() {
        store.open.countDown();
        if (writer != null) {
            writer.close();
        }
    }

    private static RecoverySession session(String pid, String room) {
        return new RecoverySession(
                pid, pid + "@x.io", Map.of(room, OFFSET), OFFSET, Instant.now().plus(Duration.ofHours(1)));
    }

    private Optional<String> storedRoom(String pid) {
        return store.take(pid, Instant.now())
                .map(s -> s.rooms().keySet().iterator().next());
    }

    /** A writer with its own thread, whose first batch, {@code first} alone, the store holds at its gate. */
    private void startWriterHolding(RecoverySession first) throws InterruptedException {
        store.closeGate();
        writer = new RecoverySessionWriter(store, "t", true, RecoverySessionWriter.MAX_WAITING);
        writer.save(first);
        assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void whatIsSavedWhileABatchIsWrittenGoesTogetherInTheNextBatch() throws Exception {
        startWriterHolding(session("first", "lobby"));

        for (int i = 0; i < 100; i++) {
            writer.save(session("p" + i, "lobby"));
        }
        assertThat(store.size())
                .as("nothing lands while the first batch is held")
                .isZero();
        store.open.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> store.size() == 101);
        assertThat(store.batchSizes).containsExactly(1, 100);
    }

    @Test
    void onlyThePidsLatestChangeIsWrittenAndAReadSettlesItFirst() {
        writer = new RecoverySessionWriter(store, "t", false, RecoverySessionWriter.MAX_WAITING);
        writer.save(session("a", "first room"));
        writer.save(session("a", "second room"));
        assertThat(store.size())
                .as("without a thread of its own, nothing is written before a read")
                .isZero();

        writer.settle("a");
        assertThat(storedRoom("a")).contains("second room");
        assertThat(store.batchSizes).containsExactly(1);

        writer.save(session("b", "lobby"));
        writer.remove("b");
        writer.close();
        assertThat(storedRoom("b"))
                .as("saved, then removed before it was written")
                .isEmpty();
        assertThat(store.batchSizes).containsExactly(1);
    }

    @Test
    void aRemovalWaitingForItsTurnRemovesWhatWasWrittenBefore() {
        writer = new RecoverySessionWriter(store, "t", false, RecoverySessionWriter.MAX_WAITING);
        writer.save(session("c", "lobby"));
        writer.settle("c");
        assertThat(store.size()).isOne();

        writer.remove("c");
        writer.settle("c");

        assertThat(store.size()).isZero();
    }

    @Test
    void aSaveNowIsNotOverwrittenByAnOlderChangeThatWaited() {
        writer = new RecoverySessionWriter(store, "t", false, RecoverySessionWriter.MAX_WAITING);
        writer.save(session("d", "while connected"));

        writer.saveNow(session("d", "when dropped"));
        writer.close();

        assertThat(storedRoom("d")).contains("when dropped");
    }

    @Test
    void aSaveNowWaitsForTheBatchInFlightOnlyWhenThatBatchHoldsItsPid() throws Exception {
        startWriterHolding(session("held", "while connected"));

        writer.saveNow(session("other", "lobby")); // would hang here if every saveNow waited for the batch
        assertThat(storedRoom("other")).contains("lobby");

        Thread dropped = new Thread(() -> writer.saveNow(session("held", "when dropped")));
        dropped.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> dropped.getState() == Thread.State.WAITING);
        assertThat(store.size())
                .as("the newer record waits for the batch that holds the older one")
                .isZero();
        store.open.countDown();
        dropped.join(10_000);

        assertThat(storedRoom("held")).contains("when dropped");
    }

    @Test
    void pastTheLimitTheSavingThreadWritesTheBacklogItself() {
        writer = new RecoverySessionWriter(store, "t", false, 3);
        for (int i = 0; i < 3; i++) {
            writer.save(session("e" + i, "lobby"));
        }
        assertThat(store.size()).isZero();

        writer.save(session("e3", "lobby"));

        assertThat(store.size()).isEqualTo(4);
        assertThat(store.batchSizes).containsExactly(4);
    }

    @Test
    void aFailedBatchIsLoggedAndTheNextOneStillLands() {
        writer = new RecoverySessionWriter(store, "t", false, RecoverySessionWriter.MAX_WAITING);
        store.failures.set(1);
        writer.save(session("f", "lobby"));
        writer.settle("f");
        writer.save(session("g", "lobby"));
        writer.settle("g");

        assertThat(storedRoom("f")).isEmpty();
        assertThat(storedRoom("g")).contains("lobby");
    }

    @Test
    void aConnectDoesNotWaitForTheRecoveryStoreAndItsSessionLandsAfter() throws Exception {
        store.closeGate();
        try (ChatEngine engine = TestEngines.builder()
                .recoverySessionStore(store)
                .recovery(RecoveryOptions.DEFAULTS)
                .build()) {
            engine.register("alice@x.io", "correct horse");
            engine.register("bob@x.io", "correct horse");

            RecoverableSession alice =
                    engine.openRecoverable(engine.claimRecovery("alice@x.io", null, null), null, room -> {});
            assertThat(store.entered.await(10, TimeUnit.SECONDS))
                    .as("the store is writing alice's session")
                    .isTrue();
            RecoverableSession bob =
                    engine.openRecoverable(engine.claimRecovery("bob@x.io", null, null), null, room -> {});

            assertThat(List.of(alice.pid(), bob.pid())).doesNotContainNull().doesNotHaveDuplicates();
            assertThat(store.size())
                    .as("both connected while the store held the first write")
                    .isZero();
            store.open.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.size() == 2);
        }
    }

    /** An in-memory store whose batch writes can be held at a gate, fail on demand, and are recorded by size. */
    private static final class GatedStore implements RecoverySessionStore {
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch open = new CountDownLatch(0);
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();
        private final InMemoryRecoverySessionStore memory = new InMemoryRecoverySessionStore();

        void closeGate() {
            open = new CountDownLatch(1);
        }

        int size() {
            return memory.size();
        }

        @Override
        public void saveAll(Collection<RecoverySession> sessions) {
            entered.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new BackendUnavailableException("gated store", "failing on purpose", null);
            }
            batchSizes.add(sessions.size());
            memory.saveAll(sessions);
        }

        @Override
        public void save(RecoverySession session) {
            memory.save(session);
        }

        @Override
        public Optional<RecoverySession> take(String pid, Instant now) {
            return memory.take(pid, now);
        }

        @Override
        public void extend(Collection<String> pids, Instant expiresAt) {
            memory.extend(pids, expiresAt);
        }

        @Override
        public void remove(String pid) {
            memory.remove(pid);
        }
    }
}
