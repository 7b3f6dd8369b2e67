package io.fatechat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.fatechat.spi.BatchListener;
import io.fatechat.spi.BroadcastListener;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusSubscription;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.MessageBus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link MessageBus} contract as tests. A backend proves itself by extending this class:
 *
 * <pre>{@code
 * class KafkaMessageBusCompatibilityIT extends MessageBusCompatibilityKit {
 *     static final String TOPICS = "tck-" + UUID.randomUUID();   // the kit keeps tests apart by key prefix
 *
 *     @Override
 *     protected MessageBus newNode() {             // a new node on the same topics as the others of this test
 *         return KafkaMessageBus.start(KafkaBusConfig.builder(bootstrapServers())
 *                 .messagesTopic(TOPICS + "-messages").eventsTopic(TOPICS + "-events").build());
 *     }
 * }
 * }</pre>
 *
 * Each test calls {@link #newNode()} once per simulated server node and closes them all afterwards. Keys and
 * group names are unique per test and records of other tests are ignored, so the kit can share a backend with
 * other runs. Waits are generous ({@link #timeout()}) and nothing asserts on speed.
 */
public abstract class MessageBusCompatibilityKit {

    /**
     * Makes a new node: a bus connected to the same backend, and the same topics, as every other bus made
     * during the current test. Called several times per test for multi-node cases.
     */
    protected abstract MessageBus newNode();

    /** How long to wait for a delivery or a completion; generous so that slow real backends pass. */
    protected Duration timeout() {
        return Duration.ofSeconds(30);
    }

    private final List<MessageBus> nodes = Collections.synchronizedList(new ArrayList<>());
    private String prefix;

    @BeforeEach
    void newTestPrefix() {
        prefix = KitSupport.uniqueName("tck") + "-";
    }

    @AfterEach
    void closeNodes() {
        KitSupport.closeAll(new ArrayList<>(nodes));
        nodes.clear();
    }

    /** A node that is closed after the test. */
    protected final MessageBus node() {
        MessageBus bus = newNode();
        assertThat(bus).as("newNode()").isNotNull();
        nodes.add(bus);
        return bus;
    }

    @Test
    void publishCompletesNormally() {
        MessageBus bus = node();

        awaitCompletion(bus.publish(record(BusTopic.MESSAGES, "k", "only")));
        awaitCompletion(bus.publish(record(BusTopic.EVENTS, "k", "only")));
    }

    @Test
    void broadcastReachesEveryNodeIncludingThePublisher() {
        MessageBus a = node();
        MessageBus b = node();
        Inbox onA = new Inbox();
        Inbox onB = new Inbox();
        a.subscribeBroadcast(BusTopic.MESSAGES, onA);
        b.subscribeBroadcast(BusTopic.MESSAGES, onB);

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            awaitCompletion(a.publish(record(BusTopic.MESSAGES, "k" + (i % 3), "from-a-" + i)));
            awaitCompletion(b.publish(record(BusTopic.MESSAGES, "k" + (i % 3), "from-b-" + i)));
            sent.add("from-a-" + i);
            sent.add("from-b-" + i);
        }

        await().atMost(timeout())
                .untilAsserted(() -> assertThat(onA.payloads()).containsExactlyInAnyOrderElementsOf(sent));
        await().atMost(timeout())
                .untilAsserted(() -> assertThat(onB.payloads()).containsExactlyInAnyOrderElementsOf(sent));
    }

    @Test
    void broadcastKeepsPublishOrderPerKey() {
        MessageBus publisher = node();
        MessageBus subscriber = node();
        Inbox inbox = new Inbox();
        subscriber.subscribeBroadcast(BusTopic.MESSAGES, inbox);

        int perKey = 50;
        List<CompletionStage<Void>> pending = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < 4; k++) {
                pending.add(publisher.publish(record(BusTopic.MESSAGES, "k" + k, "k" + k + "-" + i)));
            }
        }
        pending.forEach(this::awaitCompletion);

        await().atMost(timeout())
                .untilAsserted(() -> assertThat(inbox.payloads()).hasSize(4 * perKey));
        Map<String, List<String>> byKey = inbox.payloadsByKey();
        for (int k = 0; k < 4; k++) {
            String key = "k" + k;
            List<String> expected =
                    IntStream.range(0, perKey).mapToObj(i -> key + "-" + i).toList();
            assertThat(byKey.get(prefix + key))
                    .as("records of key %s in order", key)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void broadcastCarriesKeyAndPayloadUnchanged() {
        MessageBus bus = node();
        Inbox inbox = new Inbox();
        bus.subscribeBroadcast(BusTopic.EVENTS, inbox);
        byte[] payload = new byte[1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }

        awaitCompletion(bus.publish(new BusRecord(BusTopic.EVENTS, prefix + "r:room one", payload)));

        await().atMost(timeout())
                .untilAsserted(() -> assertThat(inbox.records()).hasSize(1));
        BusRecord received = inbox.records().get(0);
        assertThat(received.topic()).isEqualTo(BusTopic.EVENTS);
        assertThat(received.key()).isEqualTo(prefix + "r:room one");
        assertThat(received.payload()).isEqualTo(payload);
    }

    @Test
    void topicsAreSeparate() {
        MessageBus bus = node();
        Inbox events = new Inbox();
        Inbox messages = new Inbox();
        bus.subscribeBroadcast(BusTopic.EVENTS, events);
        bus.subscribeBroadcast(BusTopic.MESSAGES, messages);

        awaitCompletion(bus.publish(record(BusTopic.MESSAGES, "k", "message")));
        awaitCompletion(bus.publish(record(BusTopic.EVENTS, "k", "event")));

        await().atMost(timeout()).untilAsserted(() -> {
            assertThat(events.payloads()).containsExactly("event");
            assertThat(messages.payloads()).containsExactly("message");
        });
    }

    @Test
    void broadcastListenerRunsOnABusThread() {
        MessageBus bus = node();
        Set<Thread> listenerThreads = ConcurrentHashMap.newKeySet();
        Inbox inbox = new Inbox();
        bus.subscribeBroadcast(BusTopic.MESSAGES, record -> {
            listenerThreads.add(Thread.currentThread());
            inbox.onRecord(record);
        });

        awaitCompletion(bus.publish(record(BusTopic.MESSAGES, "k", "one")));

        await().atMost(timeout())
                .untilAsserted(() -> assertThat(inbox.payloads()).containsExactly("one"));
        assertThat(listenerThreads).doesNotContain(Thread.currentThread());
    }

    @Test
    void broadcastListenerThatThrowsSkipsOnlyThatRecord() {
        MessageBus bus = node();
        Inbox inbox = new Inbox();
        bus.subscribeBroadcast(BusTopic.MESSAGES, record -> {
            if (payload(record).equals("poison")) {
                throw new IllegalStateException("kit: simulated listener failure");
            }
            inbox.onRecord(record);
        });

        awaitCompletion(bus.publish(record(BusTopic.MESSAGES, "k", "before")));
        awaitCompletion(bus.publish(record(BusTopic.MESSAGES, "k", "poison")));
        awaitCompletion(bus.publish(record(BusTopic.MESSAGES, "k", "after")));

        await().atMost(timeout())
                .untilAsserted(() -> assertThat(inbox.payloads()).containsExactly("before", "after"));
    }

    @Test
    void closedBroadcastSubscriptionGetsNothingMore() {
        MessageBus bus = node();
        Inbox closedInbox = new Inbox();
        Inbox openInbox = new Inbox();
        BusSubscription closing = bus.subscribeBroadcast(BusTopic.MESSAGES, closedInbox);
        bus.subscribeBroadcast(BusTopic.MESSAGES, openInbox);

        awaitCompletion(bus.publish(record(BusTopic.MESSAGES, "k", "first")));
        await().atMost(timeout())
                .untilAsserted(() -> assertThat(closedInbox.payloads()).containsExactly("first"));
        closing.close();
        closing.close();
        awaitCompletion(bus.publish(record(BusTopic.MESSAGES, "k", "second")));

        await().atMost(timeout())
                .untilAsserted(() -> assertThat(openInbox.payloads()).containsExactly("first", "second"));
        assertThat(closedInbox.payloads()).containsExactly("first");
    }

    @Test
    void sharedGroupSplitsRecordsAmongItsMembers() {
        MessageBus a = node();
        MessageBus b = node();
        String group = prefix + "group";
        Deliveries onA = new Deliveries();
        Deliveries onB = new Deliveries();
        a.subscribeShared(BusTopic.MESSAGES, group, onA);
        b.subscribeShared(BusTopic.MESSAGES, group, onB);

        List<String> sent = publishSpread(a, 60, 12);

        await().atMost(timeout())
                .untilAsserted(() -> assertThat(union(onA, onB)).containsExactlyInAnyOrderElementsOf(sent));
        // Delivery is at-least-once, so a rebalance may hand a record to both members; but a group is not a
        // broadcast: the members must not both have received every record.
        Set<String> onBoth = new LinkedHashSet<>(onA.payloads());
        onBoth.retainAll(onB.payloads());
        assertThat(onBoth).as("records delivered to both members of one group").hasSizeLessThan(sent.size());
    }

    @Test
    void everyGroupGetsEveryRecord() {
        MessageBus a = node();
        MessageBus b = node();
        Deliveries persisters = new Deliveries();
        Deliveries indexers = new Deliveries();
        a.subscribeShared(BusTopic.MESSAGES, prefix + "persisters", persisters);
        b.subscribeShared(BusTopic.MESSAGES, prefix + "indexers", indexers);

        List<String> sent = publishSpread(a, 30, 5);

        await().atMost(timeout()).untilAsserted(() -> {
            assertThat(persisters.distinctPayloads()).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(indexers.distinctPayloads()).containsExactlyInAnyOrderElementsOf(sent);
        });
    }

    @Test
    void sharedGroupKeepsPublishOrderPerKey() {
        MessageBus publisher = node();
        MessageBus consumer = node();
        Deliveries deliveries = new Deliveries();
        consumer.subscribeShared(BusTopic.MESSAGES, prefix + "group", deliveries);

        List<CompletionStage<Void>> pending = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            for (int k = 0; k < 3; k++) {
                pending.add(publisher.publish(record(BusTopic.MESSAGES, "k" + k, "k" + k + "-" + i)));
            }
        }
        pending.forEach(this::awaitCompletion);

        await().atMost(timeout())
                .untilAsserted(() -> assertThat(deliveries.distinctPayloads()).hasSize(120));
        Map<String, List<String>> byKey = deliveries.distinctPayloadsByKey();
        for (int k = 0; k < 3; k++) {
            String key = "k" + k;
            List<String> expected =
                    IntStream.range(0, 40).mapToObj(i -> key + "-" + i).toList();
            assertThat(byKey.get(prefix + key))
                    .as("records of key %s in order", key)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void newGroupStartsFromRecordsPublishedBeforeItsFirstMember() {
        MessageBus publisher = node();
        List<String> sent = publishSpread(publisher, 10, 3);

        Deliveries lateComer = new Deliveries();
        node().subscribeShared(BusTopic.MESSAGES, prefix + "late", lateComer);

        await().atMost(timeout()).untilAsserted(() -> assertThat(lateComer.distinctPayloads())
                .containsExactlyInAnyOrderElementsOf(sent));
    }

    @Test
    void batchWhoseListenerThrowsIsDeliveredAgain() {
        MessageBus publisher = node();
        MessageBus consumer = node();
        AtomicBoolean failed = new AtomicBoolean();
        List<String> failedBatch = Collections.synchronizedList(new ArrayList<>());
        Deliveries acknowledged = new Deliveries();
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        consumer.subscribeShared(BusTopic.MESSAGES, prefix + "group", batch -> {
            List<BusRecord> ours =
                    batch.stream().filter(r -> r.key().startsWith(prefix)).toList();
            ours.forEach(r -> attempts.computeIfAbsent(payload(r), p -> new AtomicInteger())
                    .incrementAndGet());
            if (!ours.isEmpty() && failed.compareAndSet(false, true)) {
                ours.forEach(r -> failedBatch.add(payload(r)));
                throw new IllegalStateException("kit: simulated failure of a batch");
            }
            acknowledged.onBatch(batch);
        });

        List<CompletionStage<Void>> pending = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(publisher.publish(record(BusTopic.MESSAGES, "k", "k-" + i)));
            sent.add("k-" + i);
        }
        pending.forEach(this::awaitCompletion);

        await().atMost(timeout())
                .untilAsserted(() -> assertThat(acknowledged.distinctPayloads()).containsExactlyElementsOf(sent));
        assertThat(failedBatch).isNotEmpty();
        assertThat(failedBatch).allSatisfy(p -> assertThat(attempts.get(p).get())
                .as("attempts of %s", p)
                .isGreaterThanOrEqualTo(2));
    }

    @Test
    void remainingMemberTakesOverWhenAMemberLeaves() {
        MessageBus a = node();
        MessageBus b = node();
        String group = prefix + "group";
        Deliveries onA = new Deliveries();
        Deliveries onB = new Deliveries();
        a.subscribeShared(BusTopic.MESSAGES, group, onA);
        b.subscribeShared(BusTopic.MESSAGES, group, onB);
        List<String> first = publishSpread(b, 20, 10);
        await().atMost(timeout())
                .untilAsserted(() -> assertThat(union(onA, onB)).containsAll(first));

        a.close();
        int seenByA = onA.payloads().size();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            awaitCompletion(b.publish(record(BusTopic.MESSAGES, "k" + (i % 10), "second-" + i)));
            second.add("second-" + i);
        }

        await().atMost(timeout())
                .untilAsserted(() -> assertThat(onB.distinctPayloads()).containsAll(second));
        assertThat(onA.payloads()).as("deliveries to the closed node").hasSize(seenByA);
    }

    @Test
    void afterCloseThePublishFailsAndNoListenerIsCalled() {
        MessageBus closing = node();
        MessageBus other = node();
        Inbox broadcastOnClosed = new Inbox();
        Deliveries sharedOnClosed = new Deliveries();
        closing.subscribeBroadcast(BusTopic.MESSAGES, broadcastOnClosed);
        closing.subscribeShared(BusTopic.MESSAGES, prefix + "group", sharedOnClosed);
        Inbox broadcastOnOther = new Inbox();
        other.subscribeBroadcast(BusTopic.MESSAGES, broadcastOnOther);

        closing.close();
        closing.close();

        CompletionStage<Void> refused = closing.publish(record(BusTopic.MESSAGES, "k", "refused"));
        assertThat(refused)
                .as("publish after close")
                .failsWithin(timeout())
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ClosedException.class);

        Deliveries sharedOnOther = new Deliveries();
        other.subscribeShared(BusTopic.MESSAGES, prefix + "group", sharedOnOther);
        awaitCompletion(other.publish(record(BusTopic.MESSAGES, "k", "after-close")));

        await().atMost(timeout()).untilAsserted(() -> {
            assertThat(broadcastOnOther.payloads()).containsExactly("after-close");
            assertThat(sharedOnOther.distinctPayloads()).containsExactly("after-close");
        });
        assertThat(broadcastOnClosed.payloads()).isEmpty();
        assertThat(sharedOnClosed.payloads()).isEmpty();
    }

    @Test
    void concurrentPublishersLoseNothingAndKeepOrderPerKey() {
        MessageBus subscriberNode = node();
        Inbox inbox = new Inbox();
        subscriberNode.subscribeBroadcast(BusTopic.MESSAGES, inbox);
        Deliveries shared = new Deliveries();
        subscriberNode.subscribeShared(BusTopic.MESSAGES, prefix + "group", shared);
        MessageBus publisher = node();
        int threads = 4;
        int perThread = 50;

        List<KitSupport.Outcome<Void>> outcomes = KitSupport.runConcurrently(threads, timeout(), t -> () -> {
            List<CompletionStage<Void>> pending = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                pending.add(publisher.publish(record(BusTopic.MESSAGES, "t" + t, "t" + t + "-" + i)));
            }
            pending.forEach(this::awaitCompletion);
            return null;
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        await().atMost(timeout()).untilAsserted(() -> {
            assertThat(inbox.payloads()).hasSize(threads * perThread);
            assertThat(shared.distinctPayloads()).hasSize(threads * perThread);
        });
        Map<String, List<String>> broadcastByKey = inbox.payloadsByKey();
        Map<String, List<String>> sharedByKey = shared.distinctPayloadsByKey();
        for (int t = 0; t < threads; t++) {
            String key = "t" + t;
            List<String> expected =
                    IntStream.range(0, perThread).mapToObj(i -> key + "-" + i).toList();
            assertThat(broadcastByKey.get(prefix + key))
                    .as("broadcast order of key %s", key)
                    .containsExactlyElementsOf(expected);
            assertThat(sharedByKey.get(prefix + key))
                    .as("shared order of key %s", key)
                    .containsExactlyElementsOf(expected);
        }
    }

    // ---- helpers

    /** A record of this test: the key gets the test's unique prefix, the payload is {@code text} in UTF-8. */
    protected final BusRecord record(BusTopic topic, String key, String text) {
        return new BusRecord(topic, prefix + key, text.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> publishSpread(MessageBus bus, int count, int keys) {
        List<CompletionStage<Void>> pending = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String payload = "r-" + i;
            pending.add(bus.publish(record(BusTopic.MESSAGES, "k" + (i % keys), payload)));
            sent.add(payload);
        }
        pending.forEach(this::awaitCompletion);
        return sent;
    }

    private void awaitCompletion(CompletionStage<Void> stage) {
        assertThat(stage).as("publish result").isNotNull();
        try {
            stage.toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            fail("publish failed", e.getCause());
        } catch (TimeoutException e) {
            fail("publish did not complete within " + timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    private static String payload(BusRecord record) {
        return new String(record.payload(), StandardCharsets.UTF_8);
    }

    private static Set<String> union(Deliveries a, Deliveries b) {
        Set<String> all = new LinkedHashSet<>(a.payloads());
        all.addAll(b.payloads());
        return all;
    }

    /** Collects the broadcast records of this test, ignoring records of other tests on a shared backend. */
    private final class Inbox implements BroadcastListener {
        private final List<BusRecord> records = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onRecord(BusRecord record) {
            if (record.key().startsWith(prefix)) {
                records.add(record);
            }
        }

        List<BusRecord> records() {
            synchronized (records) {
                return List.copyOf(records);
            }
        }

        List<String> payloads() {
            return records().stream().map(MessageBusCompatibilityKit::payload).toList();
        }

        Map<String, List<String>> payloadsByKey() {
            return records().stream()
                    .collect(Collectors.groupingBy(
                            BusRecord::key,
                            Collectors.mapping(MessageBusCompatibilityKit::payload, Collectors.toList())));
        }
    }

    /** Collects the acknowledged batches of a shared subscription, in delivery order, this test's records only. */
    private final class Deliveries implements BatchListener {
        private final List<BusRecord> records = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onBatch(List<BusRecord> batch) {
            batch.stream().filter(r -> r.key().startsWith(prefix)).forEach(records::add);
        }

        List<BusRecord> records() {
            synchronized (records) {
                return List.copyOf(records);
            }
        }

        List<String> payloads() {
            return records().stream().map(MessageBusCompatibilityKit::payload).toList();
        }

        /** At-least-once delivery may repeat a record; the first delivery counts. */
        List<String> distinctPayloads() {
            return List.copyOf(new LinkedHashSet<>(payloads()));
        }

        Map<String, List<String>> distinctPayloadsByKey() {
            Map<String, List<String>> byKey = new HashMap<>();
            Set<String> seen = new LinkedHashSet<>();
            for (BusRecord record : records()) {
                if (seen.add(payload(record))) {
                    byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(payload(record));
                }
            }
            return byKey;
        }
    }
}
