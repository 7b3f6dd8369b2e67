package io.fatechat.core.memory;

import io.fatechat.spi.BatchListener;
import io.fatechat.spi.BroadcastListener;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusSubscription;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.MessageBus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process {@link MessageBus}: one node attached to an {@link InMemoryBusHub}. The embedded default's
 * bus, and a test double for multi-node tests when several instances share one hub.
 *
 * <ul>
 *   <li>Listeners run on threads owned by the bus (one per subscription), never on the publisher's thread,
 *       one call at a time per subscription.</li>
 *   <li>Order: a broadcast subscription sees records in publish order; a shared group spreads keys over
 *       partitions, so records of one key reach the group in publish order, one batch at a time.</li>
 *   <li>{@link #publish} completes before it returns: "durable" here means queued for every subscriber and
 *       every group. It fails with {@link io.fatechat.spi.BackendUnavailableException} when a shared group's
 *       backlog is full; a broadcast subscriber that falls behind loses records instead (see
 *       {@link InMemoryBusHub} for the bounds).</li>
 *   <li>A batch whose listener throws is delivered again after a back-off of 50 ms doubling up to 2 s.</li>
 * </ul>
 * Nothing is kept across restarts, so it is not {@linkplain #durable() durable}: the engine acks after its
 * history store instead.
 */
public final class InMemoryMessageBus implements MessageBus {

    private static final Logger log = LoggerFactory.getLogger(InMemoryMessageBus.class);
    private static final long CLOSE_WAIT_SECONDS = 10;
    private static final AtomicInteger NODES = new AtomicInteger();

    private final InMemoryBusHub hub;
    private final String nodeName;
    private final Set<BusSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threads = new AtomicInteger();
    private final Object lifecycle = new Object();
    private volatile boolean closed;

    /** A single node with a hub of its own and default bounds. */
    public InMemoryMessageBus() {
        this(new InMemoryBusHub());
    }

    /** A node of {@code hub}: it sees every record published by the other nodes of the hub. */
    public InMemoryMessageBus(InMemoryBusHub hub) {
        this(hub, "node-" + NODES.incrementAndGet());
    }

    /** A node of {@code hub} with a name used in thread names and log messages. */
    public InMemoryMessageBus(InMemoryBusHub hub, String nodeName) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    }

    /** The hub this node is attached to; pass it to another bus to add a node. */
    public InMemoryBusHub hub() {
        return hub;
    }

    @Override
    public CompletionStage<Void> publish(BusRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            return CompletableFuture.failedStage(closedException());
        }
        return hub.publish(record);
    }

    /** False: records live in this process only. */
    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public BusSubscription subscribeBroadcast(BusTopic topic, BroadcastListener listener) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(listener, "listener");
        synchronized (lifecycle) {
            ensureOpen();
            BroadcastSubscription subscription =
                    new BroadcastSubscription(this, hub, topic, listener, threadName(topic, "broadcast"));
            subscriptions.add(subscription);
            subscription.start();
            return subscription;
        }
    }

    @Override
    public BusSubscription subscribeShared(BusTopic topic, String group, BatchListener listener) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(listener, "listener");
        if (group.isBlank()) {
            throw new IllegalArgumentException("group must not be blank");
        }
        synchronized (lifecycle) {
            ensureOpen();
            GroupMember member = new GroupMember(this, hub.group(topic, group), listener, threadName(topic, group));
            subscriptions.add(member);
            member.start();
            return member;
        }
    }

    @Override
    public void close() {
        List<BusSubscription> open;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(subscriptions);
        }
        open.forEach(BusSubscription::close);
    }

    void forget(BusSubscription subscription) {
        subscriptions.remove(subscription);
    }

    /** Waits for a delivery thread to finish its current call, unless it is the caller (a listener closing). */
    static void awaitExit(Thread thread) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
            if (thread.isAlive()) {
                log.warn(
                        "{} did not finish its listener call within {} s of close",
                        thread.getName(),
                        CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private ClosedException closedException() {
        return new ClosedException("in-memory message bus " + nodeName);
    }

    private String threadName(BusTopic topic, String kind) {
        return "fatechat-bus-" + nodeName + "-" + topic.name().toLowerCase(Locale.ROOT) + "-" + kind + "-"
                + threads.incrementAndGet();
    }

    @Override
    public String toString() {
        return "InMemoryMessageBus[" + nodeName + "]";
    }
}
