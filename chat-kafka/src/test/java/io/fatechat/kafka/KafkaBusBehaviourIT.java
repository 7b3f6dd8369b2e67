package io.fatechat.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the kit cannot see: how the bus uses Kafka (topics, groups, offsets, partitions). */
class KafkaBusBehaviourIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.shared();

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Admin admin;
    private String topics;

    @BeforeEach
    void setUp() {
        admin = KAFKA.admin();
        topics = KafkaBroker.uniquePrefix("behaviour");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        admin.close();
    }

    @Test
    void nodesStartingTogetherCreateTheTopicsOnceWithTheConfiguredPartitions() throws Exception {
        List<CompletableFuture<KafkaMessageBus>> starts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            KafkaBusConfig config =
                    KAFKA.busConfig("racer-" + i, topics).partitions(4).build();
            starts.add(CompletableFuture.supplyAsync(() -> KafkaMessageBus.start(config)));
        }
        for (CompletableFuture<KafkaMessageBus> start : starts) {
            toClose.add(start.get(60, TimeUnit.SECONDS));
        }

        Map<String, TopicDescription> described = admin.describeTopics(
                        List.of(topics + "-messages", topics + "-events"))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS);
        assertThat(described.values())
                .allSatisfy(d -> assertThat(d.partitions()).hasSize(4));
    }

    @Test
    void aTopicThatCannotBeCreatedFailsTheStartAndSaysWhy() {
        KafkaBusConfig config = KAFKA.busConfig("too-many-replicas", topics)
                .replicationFactor(3)
                .build();

        assertThatThrownBy(() -> KafkaMessageBus.start(config))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("could not create topic " + topics)
                .hasMessageContaining("InvalidReplicationFactorException");
    }

    @Test
    void broadcastLeavesNoConsumerGroupBehind() throws Exception {
        Set<String> groupsBefore = groups();
        KafkaMessageBus bus = start("broadcaster");
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeBroadcast(BusTopic.MESSAGES, r -> received.add(text(r)));
        bus.subscribeBroadcast(BusTopic.EVENTS, r -> received.add(text(r)));
        bus.publish(record(BusTopic.MESSAGES, "k", "one")).toCompletableFuture().get(30, TimeUnit.SECONDS);
        bus.publish(record(BusTopic.EVENTS, "k", "two")).toCompletableFuture().get(30, TimeUnit.SECONDS);
        await().atMost(WAIT).untilAsserted(() -> assertThat(received).containsExactlyInAnyOrder("one", "two"));

        assertThat(groups()).as("consumer groups while subscribed").isEqualTo(groupsBefore);
        bus.close();
        assertThat(groups()).as("consumer groups after close").isEqualTo(groupsBefore);
    }

    @Test
    void sharedSubscriptionCommitsOnlyAfterItsListenerReturned() throws Exception {
        KafkaMessageBus bus = start("persister");
        String group = "persisters-" + topics;
        TopicPartition partition = new TopicPartition(topics + "-messages", partitionOf("conversation-1"));
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeShared(BusTopic.MESSAGES, group, batch -> {
            inListener.countDown();
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the listener");
            }
            batch.forEach(r -> handled.add(text(r)));
        });

        bus.publish(record(BusTopic.MESSAGES, "conversation-1", "m1"))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(inListener.await(30, TimeUnit.SECONDS)).as("listener called").isTrue();
        assertThat(committed(group)).as("offsets while the listener runs").doesNotContainKey(partition);

        release.countDown();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(handled).containsExactly("m1");
            assertThat(committed(group)).containsEntry(partition, endOffset(partition));
        });
    }

    @Test
    void broadcastPicksUpPartitionsAddedToTheTopic() throws Exception {
        KafkaMessageBus bus = KafkaMessageBus.start(KAFKA.busConfig("grower", topics)
                .partitions(1)
                .consumerProperty("metadata.max.age.ms", 500)
                .producerProperty("metadata.max.age.ms", 500)
                .build());
        toClose.add(bus);
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeBroadcast(BusTopic.MESSAGES, r -> received.add(text(r)));

        admin.createPartitions(Map.of(topics + "-messages", NewPartitions.increaseTo(4)))
                .all()
                .get(30, TimeUnit.SECONDS);
        // Once the producer knows the new partitions, keys spread over them; the subscriber must read them all.
        List<String> sent = new ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            String text = "r-" + sent.size();
            sent.add(text);
            bus.publish(record(BusTopic.MESSAGES, "key-" + sent.size(), text))
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertThat(recordsInPartitions(topics + "-messages", 1, 2, 3))
                    .as("records in the added partitions")
                    .isPositive();
            assertThat(received).containsAll(List.copyOf(sent));
        });
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }

    private KafkaMessageBus start(String nodeId) {
        KafkaMessageBus bus =
                KafkaMessageBus.start(KAFKA.busConfig(nodeId, topics).build());
        toClose.add(bus);
        return bus;
    }

    private Set<String> groups() throws Exception {
        return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                .map(GroupListing::groupId)
                .collect(Collectors.toSet());
    }

    private Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        return offsets.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private long endOffset(TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
                .partitionResult(partition)
                .get(30, TimeUnit.SECONDS)
                .offset();
    }

    private long recordsInPartitions(String topic, int... partitions) throws Exception {
        long total = 0;
        for (int p : partitions) {
            total += endOffset(new TopicPartition(topic, p));
        }
        return total;
    }

    /** The partition Kafka's default partitioner picks for a key, on a 3-partition topic. */
    private static int partitionOf(String key) {
        return org.apache.kafka.common.utils.Utils.toPositive(
                        org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
                % 3;
    }

    private static BusRecord record(BusTopic topic, String key, String text) {
        return new BusRecord(topic, key, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(BusRecord record) {
        return new String(record.payload(), StandardCharsets.UTF_8);
    }
}
