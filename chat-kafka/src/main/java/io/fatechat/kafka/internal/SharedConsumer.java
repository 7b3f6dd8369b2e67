package io.fatechat.kafka.internal;

import io.fatechat.spi.BatchListener;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.support.OutageLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a shared subscription: a consumer-group member that commits a batch's offsets only after the
 * listener returned. When the listener throws, the consumer seeks back to the batch's first offsets and pauses
 * its partitions during the back-off; it keeps polling meanwhile, so the group does not evict it for exceeding
 * {@code max.poll.interval.ms}. Runs on its own thread.
 */
public final class SharedConsumer extends ConsumerThread implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(SharedConsumer.class);

    private final BusTopic busTopic;
    private final String topic;
    private final String group;
    private final BatchListener listener;
    private final Duration retryBackoff;
    private final Duration maxRetryBackoff;
    private final OutageLog kafkaOutage;
    private final OutageLog listenerOutage;
    // Offsets of handled batches not yet committed (the commit failed or timed out). Consumer thread only.
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();

    public SharedConsumer(
            Consumer<String, byte[]> consumer,
            BusTopic busTopic,
            String topic,
            String group,
            BatchListener listener,
            Duration pollTimeout,
            Duration closeTimeout,
            Duration retryBackoff,
            Duration maxRetryBackoff,
            String threadName,
            Runnable onClose) {
        super(consumer, pollTimeout, closeTimeout, threadName, onClose);
        this.busTopic = busTopic;
        this.topic = topic;
        this.group = group;
        this.listener = listener;
        this.retryBackoff = retryBackoff;
        this.maxRetryBackoff = maxRetryBackoff;
        this.kafkaOutage = new OutageLog(LOG, "Group " + group + " on " + topic);
        this.listenerOutage = new OutageLog(LOG, "Listener of group " + group + " on " + topic);
    }

    public SharedConsumer start() {
        startThread();
        return this;
    }

    @Override
    void run() {
        Duration backoff = retryBackoff;
        try {
            consumer.subscribe(List.of(topic), this);
            while (!closed) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
                    if (records.isEmpty()) {
                        commitUncommitted(closeTimeout);
                        continue;
                    }
                    List<BusRecord> batch = new ArrayList<>(records.count());
                    Map<TopicPartition, Long> first = new HashMap<>();
                    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        first.putIfAbsent(tp, r.offset());
                        next.put(tp, new OffsetAndMetadata(r.offset() + 1));
                        if (r.value() != null) {
                            batch.add(new BusRecord(busTopic, r.key() == null ? "" : r.key(), r.value()));
                        }
                    }
                    if (closed) {
                        return; // not handled, not committed: the group delivers it again
                    }
                    try {
                        if (!batch.isEmpty()) {
                            listener.onBatch(batch);
                        }
                        listenerOutage.succeeded();
                        backoff = retryBackoff;
                    } catch (Exception e) {
                        if (!listenerOutage.isDown()) {
                            LOG.debug("Listener of group {} failed", group, e);
                        }
                        listenerOutage.failed(e);
                        rewindAndWait(first, backoff);
                        backoff = backoff.multipliedBy(2).compareTo(maxRetryBackoff) > 0
                                ? maxRetryBackoff
                                : backoff.multipliedBy(2);
                        continue;
                    }
                    uncommitted.putAll(next);
                    commitUncommitted(closeTimeout);
                } catch (WakeupException e) {
                    // close() woke us up; the loop condition ends it
                } catch (RuntimeException e) {
                    kafkaOutage.failed(e);
                    sleepQuietly(pollTimeout);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Shared consumer of group {} on {} stopped", group, topic, e);
        } finally {
            try {
                commitUncommitted(closeTimeout);
            } catch (RuntimeException e) {
                LOG.debug("Final commit of group {} failed; the records will be delivered again", group, e);
            }
            try {
                consumer.close(closeTimeout);
            } catch (RuntimeException e) {
                LOG.debug("Closing shared consumer of group {} failed", group, e);
            }
        }
    }

    /** Seeks back to the failed batch and polls with its partitions paused until the back-off has passed. */
    private void rewindAndWait(Map<TopicPartition, Long> first, Duration backoff) {
        rewind(first);
        consumer.pause(consumer.assignment());
        long deadline = System.nanoTime() + backoff.toNanos();
        try {
            long left;
            while (!closed && (left = deadline - System.nanoTime()) > 0) {
                ConsumerRecords<String, byte[]> records =
                        consumer.poll(Duration.ofNanos(Math.min(left, pollTimeout.toNanos())));
                if (!records.isEmpty()) {
                    // Partitions assigned by a rebalance during the wait are not paused: put their records back.
                    Map<TopicPartition, Long> more = new HashMap<>();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        more.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
                    }
                    rewind(more);
                    consumer.pause(more.keySet());
                }
            }
        } finally {
            consumer.resume(consumer.paused());
        }
    }

    private void rewind(Map<TopicPartition, Long> offsets) {
        Set<TopicPartition> assigned = consumer.assignment();
        offsets.forEach((tp, offset) -> {
            if (assigned.contains(tp)) { // a revoked partition restarts from its committed offset elsewhere
                consumer.seek(tp, offset);
            }
        });
    }

    private void commitUncommitted(Duration timeout) {
        if (uncommitted.isEmpty()) {
            return;
        }
        uncommitted.keySet().retainAll(consumer.assignment());
        if (uncommitted.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(uncommitted, timeout);
            uncommitted.clear();
            kafkaOutage.succeeded();
        } catch (RebalanceInProgressException e) {
            // Kept: the next poll completes the rebalance, and onPartitionsRevoked commits them first.
            LOG.debug("Group {} is rebalancing; commit postponed", group);
        } catch (CommitFailedException e) {
            // The partitions moved to another member, which starts from the last commit: a redelivery, no loss.
            LOG.info(
                    "Group {} rebalanced before a commit; {} partitions will be delivered again: {}",
                    group,
                    uncommitted.size(),
                    OutageLog.describe(e));
            uncommitted.clear();
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // Kafka unreachable or timed out: keep the offsets, the next commit carries them.
            kafkaOutage.failed(e);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>(uncommitted);
        toCommit.keySet().retainAll(partitions);
        uncommitted.keySet().removeAll(partitions);
        if (toCommit.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(toCommit, closeTimeout);
        } catch (RuntimeException e) {
            LOG.debug("Commit on revocation failed for group {}; records will be delivered again", group, e);
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        LOG.debug("Group {} member {} got {}", group, Thread.currentThread().getName(), partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        uncommitted.keySet().removeAll(partitions);
    }

    @Override
    Duration stopWait() {
        return closeTimeout.multipliedBy(2).plus(pollTimeout).plusSeconds(1);
    }

    @Override
    String description() {
        return "Shared consumer of group " + group;
    }
}
