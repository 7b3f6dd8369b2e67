package io.fatechat.kafka.internal;

import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.support.NamedThreads;
import io.fatechat.spi.support.OutageLog;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands records to the Kafka producer without ever blocking {@code publish}'s caller: {@code producer.send} may
 * wait for metadata or buffer space (up to {@code max.block.ms}), and that wait belongs to a dedicated sender
 * thread. The queue is bounded; when it is full the publish fails with {@link BackendUnavailableException}.
 *
 * <p>While the producer keeps up, a publish skips the queue: when nothing is queued, the topic's metadata is
 * known (a record of the topic was acknowledged within {@link #DIRECT_METADATA_AGE}), fewer than
 * {@link #DIRECT_MAX_UNACKED} records and a quarter of {@code buffer.memory} are unacknowledged and publishing is
 * not failing, {@code producer.send} cannot wait for metadata or buffer space, so the caller makes it itself
 * (appending to the producer's batch, tens of microseconds). That saves the hand-off to the sender thread, which on
 * a busy machine cost milliseconds per publish (issue 19). Order is kept: a publish goes direct only when no
 * earlier one is queued or being sent, under the lock the sender thread holds around each send.
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
    /** Held around every {@code producer.send}: by the sender thread, or by a caller taking the direct path. */
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Publishes queued or being sent by the sender thread: a publish goes direct only when there are none. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Records handed to the producer and not yet acknowledged (or failed), and their bytes. */
    private final AtomicInteger unacked = new AtomicInteger();

    private final AtomicLong unackedBytes = new AtomicLong();
    /** Per topic, when a record of it was last acknowledged ({@code System.nanoTime}): its metadata is cached. */
    private final Map<String, Long> lastAcked = new ConcurrentHashMap<>();

    private final long directMaxBytes;
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

    /** Unacknowledged records beyond which publishes go through the sender thread. */
    static final int DIRECT_MAX_UNACKED = 1_000;
    /**
     * How recently a topic must have had a record acknowledged for a publish to it to go direct: well within the
     * producer's {@code metadata.max.idle.ms} (5 minutes by default), after which it forgets the topic's metadata
     * and {@code send} would fetch it again.
     */
    static final Duration DIRECT_METADATA_AGE = Duration.ofSeconds(60);

    /**
     * @param bufferMemory the producer's {@code buffer.memory}: the direct path keeps the unacknowledged bytes
     *     under a quarter of it, so {@code send} never waits for buffer space on a caller's thread
     */
    public RecordSender(
            Producer<String, byte[]> producer,
            String component,
            String threadName,
            Duration publishTimeout,
            int maxQueued,
            long bufferMemory) {
        this.producer = producer;
        this.directMaxBytes = Math.max(0, bufferMemory / 4);
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
        Pending pending = new Pending(record, future, now, now + publishTimeoutNanos, event);
        if (closed) {
            future.completeExceptionally(new ClosedException(component));
            return future;
        }
        if (sendDirect(pending)) {
            watchDeadline(future);
            return future;
        }
        // Counted before it is queued, so that no later publish goes direct while this one waits.
        waiting.incrementAndGet();
        if (!queue.offer(pending)) {
            waiting.decrementAndGet();
            BackendUnavailableException e =
                    new BackendUnavailableException("kafka", "too many publishes waiting (" + queue.size() + ")", null);
            outage.failed(e);
            future.completeExceptionally(e);
        } else {
            watchDeadline(future);
        }
        return future;
    }

    /** Sends on the caller's thread when nothing is waiting and {@code producer.send} cannot block; else false. */
    private boolean sendDirect(Pending p) {
        if (waiting.get() != 0 || !directSafe(p.record) || !sendLock.tryLock()) {
            return false;
        }
        try {
            if (closed || waiting.get() != 0) {
                return false; // checked again under the lock: the sender thread sends under it too
            }
            dispatch(p);
            return true;
        } finally {
            sendLock.unlock();
        }
    }

    private boolean directSafe(ProducerRecord<String, byte[]> record) {
        if (outage.isDown() || unacked.get() >= DIRECT_MAX_UNACKED || unackedBytes.get() >= directMaxBytes) {
            return false;
        }
        Long acked = lastAcked.get(record.topic());
        return acked != null && System.nanoTime() - acked < DIRECT_METADATA_AGE.toNanos();
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
            sendLock.lock();
            try {
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
                if (!dispatch(p)) {
                    break; // interrupted: closing
                }
            } finally {
                waiting.decrementAndGet();
                sendLock.unlock();
            }
        }
    }

    /** One {@code producer.send}, under {@link #sendLock}; false when the calling thread was interrupted. */
    private boolean dispatch(Pending p) {
        long sendStart = System.nanoTime();
        long[] sendEnd = {0};
        int bytes = (p.record.value() == null ? 0 : p.record.value().length)
                + (p.record.key() == null ? 0 : p.record.key().length());
        unacked.incrementAndGet();
        unackedBytes.addAndGet(bytes);
        try {
            producer.send(p.record, (metadata, error) -> {
                unacked.decrementAndGet();
                unackedBytes.addAndGet(-bytes);
                if (p.event != null) {
                    commit(p, sendStart, sendEnd[0], error);
                }
                if (error == null) {
                    lastAcked.put(p.record.topic(), System.nanoTime());
                    outage.succeeded();
                    p.future.complete(null);
                } else {
                    fail(p.future, error);
                }
            });
            sendEnd[0] = System.nanoTime();
            return true;
        } catch (InterruptException e) {
            unacked.decrementAndGet();
            unackedBytes.addAndGet(-bytes);
            fail(p.future, e);
            return false;
        } catch (RuntimeException e) {
            // Metadata or buffer wait timed out, record too large, producer closed...
            unacked.decrementAndGet();
            unackedBytes.addAndGet(-bytes);
            fail(p.future, e);
            return true;
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
