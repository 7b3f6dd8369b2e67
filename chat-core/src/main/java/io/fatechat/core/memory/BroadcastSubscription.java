package io.fatechat.core.memory;

import io.fatechat.spi.BroadcastListener;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusSubscription;
import io.fatechat.spi.BusTopic;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A broadcast subscription: a bounded queue drained in order by its own delivery thread. */
final class BroadcastSubscription implements BusSubscription {

    private static final Logger log = LoggerFactory.getLogger(InMemoryMessageBus.class);
    private static final Object STOP = new Object();

    private final InMemoryMessageBus bus;
    private final InMemoryBusHub hub;
    private final BusTopic topic;
    private final BroadcastListener listener;
    private final BlockingQueue<Object> queue;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    BroadcastSubscription(
            InMemoryMessageBus bus, InMemoryBusHub hub, BusTopic topic, BroadcastListener listener, String threadName) {
        this.bus = bus;
        this.hub = hub;
        this.topic = topic;
        this.listener = listener;
        // One spare slot so the stop marker always fits.
        this.queue = new ArrayBlockingQueue<>(hub.subscriberQueueCapacity() + 1);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
        hub.addBroadcast(topic, this);
    }

    /** Called by publishers under the topic lock; never blocks. */
    void offer(BusRecord record) {
        if (queue.remainingCapacity() <= 1 || !queue.offer(record)) {
            long count = dropped.incrementAndGet();
            hub.countDrop();
            if (count == 1 || count % 1000 == 0) {
                log.warn(
                        "Broadcast listener on {} of {} is {} records behind; dropped {} record(s) so far",
                        topic,
                        bus,
                        hub.subscriberQueueCapacity(),
                        count);
            }
        }
    }

    private void run() {
        try {
            while (true) {
                Object next = queue.take();
                if (next == STOP || closed) {
                    return;
                }
                try {
                    listener.onRecord((BusRecord) next);
                } catch (RuntimeException | Error e) {
                    if (e instanceof VirtualMachineError vme) {
                        throw vme;
                    }
                    log.warn(
                            "Broadcast listener on {} of {} failed; record with key '{}' skipped",
                            topic,
                            bus,
                            ((BusRecord) next).key(),
                            e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        hub.removeBroadcast(topic, this);
        queue.clear();
        queue.offer(STOP);
        bus.forget(this);
        InMemoryMessageBus.awaitExit(thread);
    }
}
