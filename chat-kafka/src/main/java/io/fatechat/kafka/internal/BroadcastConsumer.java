package io.fatechat.kafka.internal;

import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.BroadcastListener;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.support.OutageLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broadcast subscription: a consumer outside any consumer group that assigns itself every partition of the
 * topic, starts at the end and commits nothing, so every node sees every record and nothing is left on the
 * broker when it stops. It runs on its own thread; partitions added to the topic later are picked up when the
 * consumer's metadata refreshes.
 */
public final class BroadcastConsumer extends ConsumerThread {

    private static final Logger LOG = LoggerFactory.getLogger(BroadcastConsumer.class);
    private static final jdk.jfr.EventType TIMING = jdk.jfr.EventType.getEventType(ConsumeEvent.class);

    private final BusTopic busTopic;
    private final String topic;
    private final BroadcastListener listener;
    private final Duration startupTimeout;
    private final OutageLog outage;
    private final CompletableFuture<Void> live = new CompletableFuture<>();

    private BroadcastConsumer(
            Consumer<String, byte[]> consumer,
            BusTopic busTopic,
            String topic,
            BroadcastListener listener,
            Duration pollTimeout,
            Duration startupTimeout,
            Duration closeTimeout,
            String threadName,
            Runnable onClose) {
        super(consumer, pollTimeout, closeTimeout, threadName, onClose);
        this.startupTimeout = startupTimeout;
        this.busTopic = busTopic;
        this.topic = topic;
        this.listener = listener;
        this.outage = new OutageLog(LOG, "Broadcast consumer of " + topic);
    }

    /**
     * Starts the consumer thread and returns once every partition's position is resolved, so that a record
     * published after this returns is delivered.
     *
     * @throws BackendUnavailableException when Kafka did not answer within {@code startupTimeout}
     */
    public static BroadcastConsumer start(
            Consumer<String, byte[]> consumer,
            BusTopic busTopic,
            String topic,
            BroadcastListener listener,
            Duration pollTimeout,
            Duration startupTimeout,
            Duration closeTimeout,
            String threadName,
            Runnable onClose) {
        BroadcastConsumer c = new BroadcastConsumer(
                consumer, busTopic, topic, listener, pollTimeout, startupTimeout, closeTimeout, threadName, onClose);
        c.startThread();
        try {
            c.live.get(startupTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new BackendUnavailableException("kafka", "interrupted while subscribing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            c.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new BackendUnavailableException(
                    "kafka", "could not subscribe to " + topic + ": " + OutageLog.describe(cause), cause);
        }
    }

    @Override
    void run() {
        try {
            Set<TopicPartition> assigned;
            try {
                assigned = partitions(startupTimeout);
                if (assigned.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " has no partitions");
                }
                consumer.assign(assigned);
                consumer.seekToEnd(assigned);
                for (TopicPartition tp : assigned) {
                    consumer.position(tp, startupTimeout); // resolves the end offset now, not at the first poll
                }
                live.complete(null);
            } catch (WakeupException e) {
                live.completeExceptionally(e);
                return;
            } catch (RuntimeException e) {
                live.completeExceptionally(e);
                return;
            }
            // Reads the consumer's cached metadata (refreshed every metadata.max.age.ms): cheap enough to do often.
            long partitionCheckNanos = pollTimeout.toNanos() * 10;
            long nextPartitionCheck = System.nanoTime() + partitionCheckNanos;
            while (!closed) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
                    long polled = System.nanoTime();
                    long polledMicros = records.isEmpty() || !TIMING.isEnabled() ? -1 : StageClock.nowMicros();
                    int pollSize = polledMicros < 0 ? 0 : records.count(); // count() walks every partition
                    outage.succeeded();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        if (closed) {
                            return;
                        }
                        if (polledMicros < 0) {
                            deliver(r);
                        } else {
                            deliverTimed(r, polled, polledMicros, pollSize);
                        }
                    }
                    if (System.nanoTime() - nextPartitionCheck > 0) {
                        nextPartitionCheck = System.nanoTime() + partitionCheckNanos;
                        assigned = addNewPartitions(assigned);
                    }
                } catch (WakeupException e) {
                    // close() woke us up; the loop condition ends it
                } catch (RuntimeException e) {
                    outage.failed(e);
                    sleepQuietly(pollTimeout);
                }
            }
        } finally {
            try {
                consumer.close(closeTimeout);
            } catch (RuntimeException e) {
                LOG.debug("Closing broadcast consumer of {} failed", topic, e);
            }
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return; // a tombstone written by something else; nothing to deliver
        }
        try {
            listener.onRecord(new BusRecord(busTopic, r.key() == null ? "" : r.key(), r.value()));
        } catch (RuntimeException e) {
            LOG.warn(
                    "Broadcast listener on {} failed; record {}-{}@{} skipped",
                    topic,
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e);
        }
    }

    private void deliverTimed(ConsumerRecord<String, byte[]> r, long polled, long polledMicros, int pollSize) {
        ConsumeEvent event = new ConsumeEvent();
        event.begin();
        long start = System.nanoTime();
        deliver(r);
        long published = StageClock.publishedMicros(r.headers());
        event.topic = topic;
        event.transit = published < 0 ? -1 : Math.max(0, polledMicros - published) * 1_000;
        event.batchWait = start - polled;
        event.listener = System.nanoTime() - start;
        event.pollSize = pollSize;
        event.commit();
    }

    private Set<TopicPartition> partitions(Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        Set<TopicPartition> result = new HashSet<>();
        for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
            result.add(new TopicPartition(info.topic(), info.partition()));
        }
        return result;
    }

    /** Partitions added since the last check start at their beginning: all their records are new to us. */
    private Set<TopicPartition> addNewPartitions(Set<TopicPartition> assigned) {
        Set<TopicPartition> now = partitions(pollTimeout);
        if (assigned.containsAll(now)) {
            return assigned;
        }
        List<TopicPartition> added = new ArrayList<>(now);
        added.removeAll(assigned);
        Set<TopicPartition> all = new HashSet<>(assigned);
        all.addAll(added);
        consumer.assign(all);
        consumer.seekToBeginning(added);
        LOG.info("Topic {} grew to {} partitions; now reading {} too", topic, all.size(), added);
        return all;
    }

    @Override
    Duration stopWait() {
        return closeTimeout.plus(pollTimeout).plusSeconds(1);
    }

    @Override
    String description() {
        return "Broadcast consumer of " + topic;
    }
}
