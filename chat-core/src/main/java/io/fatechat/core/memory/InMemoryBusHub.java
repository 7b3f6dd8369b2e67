package io.fatechat.core.memory;

import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process "broker" behind one or more {@link InMemoryMessageBus} nodes. Every bus created on the same
 * hub sees the same records, so a test can simulate several nodes in one JVM.
 *
 * <p>Bounds, all fixed at construction:
 * <ul>
 *   <li><b>subscriber queue</b>: each broadcast subscription has its own queue of this many records. When a
 *       listener falls that far behind, further records are <em>dropped for that subscription only</em> and a
 *       warning is logged: live fan-out must not grow the heap or stall the other nodes.</li>
 *   <li><b>group backlog</b>: records not yet acknowledged by a shared group (including while it has no
 *       member). When any group of the topic is full, {@link InMemoryMessageBus#publish} completes
 *       exceptionally with {@link BackendUnavailableException} and the record goes nowhere: persistence is
 *       never silently lost, the publisher learns about it instead.</li>
 *   <li><b>retained records</b>: the newest records of each topic, kept so that a group subscribing for the
 *       first time starts from them (as a Kafka group with {@code auto.offset.reset=earliest} would).</li>
 * </ul>
 * A group once created keeps its backlog after its last member leaves (like Kafka's committed offsets), so
 * a group that is abandoned for good eventually fills up and makes publishing fail.
 */
public final class InMemoryBusHub {

    public static final int DEFAULT_SUBSCRIBER_QUEUE_CAPACITY = 10_000;
    public static final int DEFAULT_GROUP_BACKLOG_CAPACITY = 100_000;
    public static final int DEFAULT_RETAINED_RECORDS = 10_000;

    // A minimal stage: callers cannot complete or obtrude it, so one instance serves every publish.
    private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private final int subscriberQueueCapacity;
    private final int groupBacklogCapacity;
    private final int retainedRecords;
    private final Map<BusTopic, TopicState> topics = new EnumMap<>(BusTopic.class);
    private final AtomicLong droppedBroadcastRecords = new AtomicLong();

    /** A hub with the default bounds. */
    public InMemoryBusHub() {
        this(DEFAULT_SUBSCRIBER_QUEUE_CAPACITY, DEFAULT_GROUP_BACKLOG_CAPACITY, DEFAULT_RETAINED_RECORDS);
    }

    /**
     * @param subscriberQueueCapacity records buffered per broadcast subscription, at least 1
     * @param groupBacklogCapacity unacknowledged records per shared group, at least 1
     * @param retainedRecords records per topic replayed to a new group, 0 to {@code groupBacklogCapacity}
     */
    public InMemoryBusHub(int subscriberQueueCapacity, int groupBacklogCapacity, int retainedRecords) {
        if (subscriberQueueCapacity < 1) {
            throw new IllegalArgumentException(
                    "subscriberQueueCapacity must be at least 1: " + subscriberQueueCapacity);
        }
        if (groupBacklogCapacity < 1) {
            throw new IllegalArgumentException("groupBacklogCapacity must be at least 1: " + groupBacklogCapacity);
        }
        if (retainedRecords < 0 || retainedRecords > groupBacklogCapacity) {
            throw new IllegalArgumentException("retainedRecords must be between 0 and groupBacklogCapacity ("
                    + groupBacklogCapacity + "): " + retainedRecords);
        }
        this.subscriberQueueCapacity = subscriberQueueCapacity;
        this.groupBacklogCapacity = groupBacklogCapacity;
        this.retainedRecords = retainedRecords;
        for (BusTopic topic : BusTopic.values()) {
            topics.put(topic, new TopicState());
        }
    }

    /** Records dropped so far because a broadcast subscriber's queue was full, over all nodes. */
    public long droppedBroadcastRecords() {
        return droppedBroadcastRecords.get();
    }

    int subscriberQueueCapacity() {
        return subscriberQueueCapacity;
    }

    void countDrop() {
        droppedBroadcastRecords.incrementAndGet();
    }

    CompletionStage<Void> publish(BusRecord record) {
        TopicState topic = topics.get(record.topic());
        topic.lock.lock();
        try {
            // Check every group first so a refused record is queued nowhere.
            for (SharedGroup group : topic.groups.values()) {
                if (!group.hasRoom()) {
                    return CompletableFuture.failedStage(new BackendUnavailableException(
                            "in-memory bus",
                            "shared group '" + group.name() + "' on " + record.topic() + " has " + groupBacklogCapacity
                                    + " unacknowledged records",
                            null));
                }
            }
            if (retainedRecords > 0) {
                if (topic.retained.size() == retainedRecords) {
                    topic.retained.pollFirst();
                }
                topic.retained.addLast(record);
            }
            for (SharedGroup group : topic.groups.values()) {
                group.enqueue(record);
            }
            for (BroadcastSubscription subscription : topic.broadcasts) {
                subscription.offer(record);
            }
            return DONE;
        } finally {
            topic.lock.unlock();
        }
    }

    void addBroadcast(BusTopic topic, BroadcastSubscription subscription) {
        TopicState state = topics.get(topic);
        state.lock.lock();
        try {
            state.broadcasts.add(subscription);
        } finally {
            state.lock.unlock();
        }
    }

    /** After this returns no publish will offer to {@code subscription} any more. */
    void removeBroadcast(BusTopic topic, BroadcastSubscription subscription) {
        TopicState state = topics.get(topic);
        state.lock.lock();
        try {
            state.broadcasts.remove(subscription);
        } finally {
            state.lock.unlock();
        }
    }

    /** The group called {@code name}; a new one starts with the retained records of the topic. */
    SharedGroup group(BusTopic topic, String name) {
        TopicState state = topics.get(topic);
        state.lock.lock();
        try {
            return state.groups.computeIfAbsent(name, n -> {
                SharedGroup group = new SharedGroup(topic, n, groupBacklogCapacity);
                state.retained.forEach(group::enqueue);
                return group;
            });
        } finally {
            state.lock.unlock();
        }
    }

    private static final class TopicState {
        final ReentrantLock lock = new ReentrantLock();
        /** Written under {@link #lock}; copy-on-write so iteration needs no copy. */
        final List<BroadcastSubscription> broadcasts = new CopyOnWriteArrayList<>();

        final Map<String, SharedGroup> groups = new HashMap<>();
        final ArrayDeque<BusRecord> retained = new ArrayDeque<>();
    }
}
