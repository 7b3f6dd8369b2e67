package io.fatechat.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescedReadsTest {

    /** Reads answered by hand: each read's answer is the number of reads sent before it, starting at 1. */
    private final List<CompletableFuture<Integer>> sent = new CopyOnWriteArrayList<>();

    private final AtomicInteger counter = new AtomicInteger();
    private final CoalescedReads<Integer> reads = new CoalescedReads<>(key -> {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        sent.add(f);
        return f;
    });

    private void answer(int index) {
        sent.get(index).complete(counter.incrementAndGet());
    }

    @Test
    void manyCallersShareOneRunningAndOneQueuedRead() {
        CompletableFuture<Integer> first = reads.read("room");
        List<CompletableFuture<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiting.add(reads.read("room"));
        }
        assertThat(sent).hasSize(1);

        answer(0);
        assertThat(first).isCompletedWithValue(1);
        // The queued read is sent only now, after the running one answered.
        assertThat(sent).hasSize(2);
        assertThat(waiting).allSatisfy(f -> assertThat(f).isNotDone());

        answer(1);
        assertThat(waiting).allSatisfy(f -> assertThat(f).isCompletedWithValue(2));
        assertThat(reads.inFlight()).isZero();
    }

    @Test
    void aCallerNeverGetsTheAnswerOfAReadSentBeforeItAsked() {
        CompletableFuture<Integer> early = reads.read("room");
        CompletableFuture<Integer> late = reads.read("room"); // asked while the first read runs
        answer(0);
        assertThat(early).isCompletedWithValue(1);
        assertThat(late).isNotDone();
        answer(1);
        assertThat(late).isCompletedWithValue(2);
    }

    @Test
    void keysDoNotShare() {
        reads.read("a");
        reads.read("b");
        assertThat(sent).hasSize(2);
    }

    @Test
    void aFailedReadFailsItsCallersAndTheNextReadStillRuns() {
        CompletableFuture<Integer> first = reads.read("room");
        CompletableFuture<Integer> second = reads.read("room");
        sent.get(0).completeExceptionally(new IllegalStateException("redis down"));
        assertThat(first).isCompletedExceptionally();
        answer(1);
        assertThat(second).isCompletedWithValue(1);
    }

    @Test
    void aReaderThatThrowsFailsTheCallInsteadOfLeakingTheSlot() {
        CoalescedReads<Integer> throwing = new CoalescedReads<>(key -> {
            throw new IllegalStateException("not connected");
        });
        assertThat(throwing.read("room")).isCompletedExceptionally();
        assertThat(throwing.inFlight()).isZero();
    }
}
