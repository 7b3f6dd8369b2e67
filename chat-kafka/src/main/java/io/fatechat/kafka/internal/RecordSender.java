package io.fatechat.kafka.internal;

import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.support.NamedThreads;
import io.fatechat.spi.support.OutageLog;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands records to the Kafka producer on one dedicated thread, so that {@code publish} never blocks its caller:
 * {@code producer.send} may wait for metadata or buffer space (up to {@code max.block.ms}), and that wait
 * belongs here. One thread keeps the callers' order. The queue is bounded; when it is full the publish fails with
 * {@link BackendUnavailableException}.
 *
 * <p>The publish timeout is one deadline for the whole publish, from the call to the broker's acknowledgement:
 * a record may spend it queued behind a send that waits for buffer space or metadata, in that wait itself
 * ({@code max.block.ms}) and then in delivery ({@code delivery.timeout.ms}), each of which Kafka bounds by the
 * timeout on its own. A timer fails the publish at its deadline wherever it is, so a sender never waits two or
 * three timeouts; Kafka may still deliver a record it already had, which de-duplication by id covers.
 */
public final class RecordSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordSender.class);

    private final Producer<String, byte[]> producer;
    private final String component;
    private final long publishTimeoutNanos;
    private final BlockingQueue<Pending> queue;
    private final Set<CompletableFuture<Void>> unfinished = ConcurrentHashMap.newKeySet();
    private final OutageLog outage = new OutageLog(LOG, "Publishing to Kafka");
    private final Thread thread;
    /** Fails each publish at its deadline; cancelled entries are removed, so it holds only unfinished ones. */
    private final ScheduledThreadPoolExecutor deadlines;

    private volatile boolean closed;

    /** {@code event} is null unless a JFR recording enabled {@link PublishEvent}. */
    private record Pending(
            ProducerRecord<String, byte[]> record,
            CompletableFuture<Void> future,
            long enqueuedNanos,
            long deadlineNanos,
            PublishEvent event) {}

    public RecordSender(
            Producer<String, byte[]> producer,
            String component,
            String threadName,
            Duration publishTimeout,
            int maxQueued) {
        this.producer = producer;
        this.component = component;
        this.publishTimeoutNanos = publishTimeout.toNanos();
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.deadlines = new ScheduledThreadPoolExecutor(1, NamedThreads.factory(threadName + "-deadlines"));
        this.deadlines.setRemoveOnCancelPolicy(true);
        this.thread = NamedThreads.daemon(threadName, this::run);
        this.thread.start();
    }

    public CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        // Registered before the closed check: close() fails whatever is registered once the thread is gone.
        unfinished.add(future);
        future.whenComplete((ignored, error) -> unfinished.remove(future));
        PublishEvent event = new PublishEvent();
        if (event.isEnabled()) {
            event.begin();
            event.topic = record.topic();
            StageClock.stamp(record.headers(), StageClock.nowMicros());
        } else {
            event = null;
        }
        long now = System.nanoTime();
        if (closed) {
            future.completeExceptionally(new ClosedException(component));
        } else if (!queue.offer(new Pending(record, future, now, now + publishTimeoutNanos, event))) {
            BackendUnavailableException e =
                    new BackendUnavailableException("kafka", "too many publishes waiting (" + queue.size() + ")", null);
            outage.failed(e);
            future.completeExceptionally(e);
        } else {
            watchDeadline(future);
        }
        return future;
    }

    private void watchDeadline(CompletableFuture<Void> future) {
        ScheduledFuture<?> expiry;
        try {
            expiry = deadlines.schedule(() -> expire(future), publishTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return; // closing: close() fails every unfinished publish
        }
        future.whenComplete((ignored, error) -> expiry.cancel(false));
    }

    private void expire(CompletableFuture<Void> future) {
        if (future.isDone()) {
            return;
        }
        fail(
                future,
                new org.apache.kafka.common.errors.TimeoutException("not acknowledged within the publish timeout"));
    }

    /** True while publishes fail; the next acknowledged publish clears it. */
    public boolean isFailing() {
        return outage.isDown();
    }

    private void run() {
        while (!closed) {
            Pending p;
            try {
                p = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (p == null) {
                continue;
            }
            if (p.future.isDone()) {
                continue; // its deadline passed while it waited: its caller was told, so it is not sent late
            }
            if (System.nanoTime() - p.deadlineNanos > 0) {
                fail(
                        p.future,
                        new org.apache.kafka.common.errors.TimeoutException(
                                "waited longer than the publish timeout to be sent"));
                continue;
            }
            long sendStart = System.nanoTime();
            long[] sendEnd = {0};
            try {
                producer.send(p.record, (metadata, error) -> {
                    if (p.event != null) {
                        commit(p, sendStart, sendEnd[0], error);
                    }
                    if (error == null) {
                        outage.succeeded();
                        p.future.complete(null);
                    } else {
                        fail(p.future, error);
                    }
                });
                sendEnd[0] = System.nanoTime();
            } catch (InterruptException e) {
                fail(p.future, e);
                break;
            } catch (RuntimeException e) {
                // Metadata or buffer wait timed out, record too large, producer closed...
                fail(p.future, e);
            }
        }
    }

    /** The acknowledgement may arrive before send() returned: then the whole send is counted as the call. */
    private static void commit(Pending p, long sendStart, long sendEnd, Throwable error) {
        long acked = System.nanoTime();
        long returned = sendEnd == 0 ? acked : sendEnd;
        p.event.queued = sendStart - p.enqueuedNanos;
        p.event.send = returned - sendStart;
        p.event.ack = acked - returned;
        p.event.failed = error != null;
        p.event.commit();
    }

    private void fail(CompletableFuture<Void> future, Throwable error) {
        if (closed) {
            future.completeExceptionally(new ClosedException(component));
            return;
        }
        if (future.completeExceptionally(new BackendUnavailableException("kafka", OutageLog.describe(error), error))) {
            outage.failed(error);
        }
    }

    /**
     * Stops taking publishes, gives the records already handed to the producer up to {@code timeout} to be
     * acknowledged, and fails everything else with {@link ClosedException}.
     */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        deadlines.shutdownNow();
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.future.completeExceptionally(new ClosedException(component));
        }
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            LOG.warn("Closing the Kafka producer failed: {}", OutageLog.describe(e));
        }
        for (CompletableFuture<Void> future : Set.copyOf(unfinished)) {
            future.completeExceptionally(new ClosedException(component));
        }
    }
}
