package io.fatechat.core.memory;

import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One consumer group of a topic: its unacknowledged records, split into partitions by key (so one key is
 * handled by one member at a time, in order) and the members the partitions are spread over.
 */
final class SharedGroup {

    static final int PARTITIONS = 8;
    static final int MAX_BATCH = 256;
    private static final long FIRST_BACKOFF_NANOS = Duration.ofMillis(50).toNanos();
    private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(2).toNanos();

    private final BusTopic topic;
    private final String name;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Partition[] partitions = new Partition[PARTITIONS];
    private final List<GroupMember> members = new ArrayList<>();
    /** Queued records of all partitions, in-flight ones included. */
    private int size;

    SharedGroup(BusTopic topic, String name, int capacity) {
        this.topic = topic;
        this.name = name;
        this.capacity = capacity;
        for (int i = 0; i < PARTITIONS; i++) {
            partitions[i] = new Partition();
        }
    }

    String name() {
        return name;
    }

    BusTopic topic() {
        return topic;
    }

    boolean hasRoom() {
        lock.lock();
        try {
            return size < capacity;
        } finally {
            lock.unlock();
        }
    }

    void enqueue(BusRecord record) {
        lock.lock();
        try {
            partitions[Math.floorMod(record.key().hashCode(), PARTITIONS)].records.addLast(record);
            size++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void join(GroupMember member) {
        lock.lock();
        try {
            members.add(member);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** After this returns, {@link #next} gives {@code member} nothing more. */
    void leave(GroupMember member) {
        lock.lock();
        try {
            member.markClosed();
            members.remove(member);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the next batch of a partition assigned to {@code member}; null once the member has left.
     * Partition {@code p} belongs to member {@code p % members}, so a rebalance moves whole partitions.
     */
    Batch next(GroupMember member) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                int index = members.indexOf(member);
                if (member.isClosed() || index < 0) {
                    return null;
                }
                int count = members.size();
                long now = System.nanoTime();
                long waitNanos = Long.MAX_VALUE;
                for (int k = 0; k < PARTITIONS; k++) {
                    int p = (member.cursor + k) % PARTITIONS;
                    Partition partition = partitions[p];
                    if (p % count != index || partition.busy || partition.records.isEmpty()) {
                        continue;
                    }
                    if (partition.failures > 0 && partition.retryAt - now > 0) {
                        waitNanos = Math.min(waitNanos, partition.retryAt - now);
                        continue;
                    }
                    member.cursor = p + 1;
                    partition.busy = true;
                    List<BusRecord> batch = new ArrayList<>(Math.min(MAX_BATCH, partition.records.size()));
                    Iterator<BusRecord> it = partition.records.iterator();
                    while (it.hasNext() && batch.size() < MAX_BATCH) {
                        batch.add(it.next());
                    }
                    return new Batch(p, List.copyOf(batch));
                }
                if (waitNanos == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(waitNanos);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Acknowledges {@code batch} or, when {@code handled} is false, schedules it again after a back-off. */
    void done(Batch batch, boolean handled) {
        lock.lock();
        try {
            Partition partition = partitions[batch.partition()];
            partition.busy = false;
            if (handled) {
                for (int i = 0; i < batch.records().size(); i++) {
                    partition.records.pollFirst();
                }
                size -= batch.records().size();
                partition.failures = 0;
            } else {
                partition.failures++;
                long backoff = Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << Math.min(partition.failures - 1, 10));
                partition.retryAt = System.nanoTime() + backoff;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    record Batch(int partition, List<BusRecord> records) {}

    private static final class Partition {
        final ArrayDeque<BusRecord> records = new ArrayDeque<>();
        /** A member is handling the head of {@link #records}. */
        boolean busy;

        int failures;
        long retryAt;
    }
}
