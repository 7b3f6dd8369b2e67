package io.fatechat.kafka.internal;

import io.fatechat.spi.BusSubscription;
import io.fatechat.spi.support.NamedThreads;
import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Kafka consumer polled on its own thread until {@link #close()}: what both kinds of subscription share. */
abstract class ConsumerThread implements BusSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerThread.class);

    final Consumer<String, byte[]> consumer;
    final Duration pollTimeout;
    final Duration closeTimeout;
    volatile boolean closed;
    private final Thread thread;
    private final Runnable onClose;

    ConsumerThread(
            Consumer<String, byte[]> consumer,
            Duration pollTimeout,
            Duration closeTimeout,
            String threadName,
            Runnable onClose) {
        this.consumer = consumer;
        this.pollTimeout = pollTimeout;
        this.closeTimeout = closeTimeout;
        this.onClose = onClose;
        this.thread = NamedThreads.daemon(threadName, this::run);
    }

    /** The poll loop; returns once {@link #closed} is set or the consumer was woken up. */
    abstract void run();

    /** How long {@link #close()} waits for the loop to end: the longest it may take to notice the wakeup. */
    abstract Duration stopWait();

    /** Names the subscription in the warning when its thread does not stop in time. */
    abstract String description();

    final void startThread() {
        thread.start();
    }

    final void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops delivery; waits up to {@link #stopWait()} for the consumer thread to end. Idempotent. */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            consumer.wakeup();
        } catch (RuntimeException e) {
            LOG.debug("Waking up a consumer that already stopped", e);
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(stopWait().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("{} did not stop within {}", description(), closeTimeout);
            }
        }
        onClose.run();
    }
}
