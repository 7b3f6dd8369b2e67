package io.fatechat.core;

import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ChatException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.support.NamedThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for {@link AckPoint#HISTORY}: one writer thread appends whatever messages queued up while the
 * previous append ran (plus, with a commit delay, whatever arrives within it) as one batch, then hands each
 * committed message on, in order, and completes its stage. A message is therefore acknowledged and shown
 * only once it is in the store: after a crash, nothing a client saw or was told is safe is missing, and a
 * failed commit shows nothing, so the sender's retry cannot appear twice.
 *
 * <p>What a committed batch feeds besides delivery (unread counts) runs on a second thread, after the acks: the
 * writer's turn is the ack latency of every message behind it, so it does only the append and the hand-off. Batches
 * that wait for the counter meanwhile are counted together, in one transaction.
 *
 * <p>Bounded: beyond {@code capacity} waiting messages a send is refused as unavailable instead of queued; beyond
 * {@value #RECORD_QUEUE} batches waiting to be counted the writer counts the next one itself, which slows the
 * commits down instead of queueing without bound.
 */
final class HistoryCommitter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HistoryCommitter.class);

    /**
     * Committed batches waiting for {@code afterAppend}, which takes all of them together (one transaction);
     * past this, the writer runs it itself.
     */
    static final int RECORD_QUEUE = 1024;

    private record Pending(ChatMessage message, CompletableFuture<Void> committed) {}

    private final HistoryStore history;
    private final Consumer<List<ChatMessage>> afterAppend;
    private final Consumer<ChatMessage> afterCommit;
    private final long delayNanos;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    /** Committed batches waiting for {@code afterAppend}, counted by {@link #counter}. */
    private final BlockingQueue<List<ChatMessage>> toCount = new ArrayBlockingQueue<>(RECORD_QUEUE);

    private final Thread counter;
    /** The counter starts a count at most this often: counts are pushed no more often, and fewer commits cost less. */
    private final long countIntervalNanos;

    /** Released by closing: wakes a counter waiting out its interval to count what is left at once, then stop. */
    private final CountDownLatch counterClosed = new CountDownLatch(1);

    private volatile boolean closing;

    /**
     * @param afterAppend called with each batch the store committed, after its messages were handed on and
     *        acknowledged, on a thread of its own (counts unread messages, as the persister does); batches may
     *        arrive out of order; a failure is logged, the batch is safe
     * @param afterCommit called on the writer thread for each committed message, in commit order, before its
     *        stage completes: publishes it for live delivery; must not block
     */
    HistoryCommitter(
            String nodeId,
            HistoryStore history,
            Consumer<List<ChatMessage>> afterAppend,
            Consumer<ChatMessage> afterCommit,
            Duration delay,
            int maxBatch,
            int capacity,
            Duration countInterval) {
        this.history = history;
        this.countIntervalNanos = countInterval.toNanos();
        this.afterAppend = afterAppend;
        this.afterCommit = afterCommit;
        this.delayNanos = delay.toNanos();
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.counter = NamedThreads.daemon("fatechat-history-count-" + nodeId, this::countLoop);
        this.counter.start();
        this.writer = new Thread(this::run, "fatechat-history-" + nodeId);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues a message; the stage completes once it is committed (and handed on), or fails with a ChatException. */
    CompletionStage<Void> commit(ChatMessage message) {
        if (closing) {
            return CompletableFuture.failedFuture(new ClosedException("chat engine"));
        }
        Pending pending = new Pending(message, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            return CompletableFuture.failedFuture(new BackendUnavailableException(
                    "history store",
                    "more than " + (queue.size() + queue.remainingCapacity())
                            + " messages are waiting for the history store",
                    null));
        }
        if (closing && queue.remove(pending)) {
            pending.committed.completeExceptionally(new ClosedException("chat engine"));
        }
        return pending.committed;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(Math.min(maxBatch, 1024));
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                collect(batch);
            } catch (InterruptedException e) {
                if (batch.isEmpty()) {
                    break;
                }
                // Closing: commit what is in hand, then stop.
                Thread.currentThread().interrupt();
            }
            write(batch);
            batch.clear();
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.committed.completeExceptionally(new ClosedException("chat engine"));
        }
    }

    /**
     * Adds what is waiting now, up to the batch size; with a commit delay, also what arrives within it. No
     * delay by default: batches then form while the previous append runs (as PostgreSQL's and MySQL's group
     * commit do by default), so a lone message is never held back.
     */
    private void collect(List<Pending> batch) throws InterruptedException {
        queue.drainTo(batch, maxBatch - batch.size());
        if (delayNanos == 0) {
            return;
        }
        long deadline = System.nanoTime() + delayNanos;
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
    }

    private void write(List<Pending> batch) {
        List<ChatMessage> messages = batch.stream().map(Pending::message).toList();
        try {
            history.append(messages);
        } catch (RuntimeException e) {
            ChatException failure = asChatException(e);
            if (batch.size() > 1 && !(failure instanceof BackendUnavailableException)) {
                // A message the store refuses (e.g. too long for its column) must not fail its neighbours.
                for (Pending one : batch) {
                    write(List.of(one));
                }
                return;
            }
            log.warn("Could not commit {} message(s) to the history store: {}", batch.size(), failure.getMessage());
            for (Pending pending : batch) {
                pending.committed.completeExceptionally(failure);
            }
            return;
        }
        for (Pending pending : batch) {
            try {
                afterCommit.accept(pending.message);
            } catch (RuntimeException e) {
                log.warn("Handing on committed message {} failed", pending.message.id(), e);
            }
        }
        // Queued for counting before the acks, so an acked message is always already on its way to the counter.
        boolean queuedForCounting = toCount.offer(messages);
        for (Pending pending : batch) {
            pending.committed.complete(null);
        }
        if (!queuedForCounting) {
            count(messages);
        }
    }

    /**
     * Counts what the writer committed, at most once per count interval: the batches committed meanwhile are
     * counted together, so a busy room costs one counting transaction per interval, not one per commit.
     */
    private void countLoop() {
        List<List<ChatMessage>> waiting = new ArrayList<>();
        long lastStart = System.nanoTime() - countIntervalNanos;
        while (true) {
            List<ChatMessage> first = null;
            try {
                first = toCount.poll(100, TimeUnit.MILLISECONDS);
                long wait = lastStart + countIntervalNanos - System.nanoTime();
                if (first != null && wait > 0) {
                    counterClosed.await(wait, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                if (first != null) {
                    count(first);
                }
                return;
            }
            if (first == null) {
                if (counterClosed.getCount() == 0) {
                    return;
                }
                continue;
            }
            lastStart = System.nanoTime();
            waiting.add(first);
            toCount.drainTo(waiting);
            if (waiting.size() == 1) {
                count(first);
            } else {
                List<ChatMessage> together = new ArrayList<>();
                waiting.forEach(together::addAll);
                count(together);
            }
            waiting.clear();
        }
    }

    private void count(List<ChatMessage> messages) {
        try {
            afterAppend.accept(messages);
        } catch (RuntimeException e) {
            log.warn("After committing {} message(s) to history: {}", messages.size(), e.toString());
        }
    }

    private static ChatException asChatException(RuntimeException e) {
        if (e instanceof ChatException chat) {
            return chat;
        }
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new BackendUnavailableException("history store", reason, e);
    }

    /**
     * Refuses new messages, lets the writer commit what is queued for up to {@code wait}, then stops it;
     * whatever is still queued fails with {@link ClosedException}.
     */
    void close(Duration wait) {
        closing = true;
        try {
            writer.join(wait.toMillis());
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.interrupt();
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.committed.completeExceptionally(new ClosedException("chat engine"));
        }
        // The batches committed so far are still counted, within the same wait.
        counterClosed.countDown();
        try {
            counter.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (counter.isAlive() || !toCount.isEmpty()) {
            counter.interrupt();
            log.warn("Unread counts of {} committed batch(es) were not recorded before closing", toCount.size());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
