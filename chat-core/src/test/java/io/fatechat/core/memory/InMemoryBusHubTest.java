package io.fatechat.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusSubscription;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ClosedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-memory bus beyond the kit: its bounds and its hub. */
class InMemoryBusHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<InMemoryMessageBus> buses = new ArrayList<>();

    @AfterEach
    void closeBuses() {
        buses.forEach(InMemoryMessageBus::close);
    }

    private InMemoryMessageBus node(InMemoryBusHub hub) {
        InMemoryMessageBus bus = new InMemoryMessageBus(hub);
        buses.add(bus);
        return bus;
    }

    @Test
    void slowBroadcastSubscriberLosesRecordsInsteadOfGrowingTheHeap() throws Exception {
        InMemoryBusHub hub = new InMemoryBusHub(2, 100, 0);
        InMemoryMessageBus bus = node(hub);
        CountDownLatch release = new CountDownLatch(1);
        List<String> slow = Collections.synchronizedList(new ArrayList<>());
        List<String> fast = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeBroadcast(BusTopic.MESSAGES, record -> {
            awaitLatch(release);
            slow.add(text(record));
        });
        bus.subscribeBroadcast(BusTopic.MESSAGES, record -> fast.add(text(record)));

        for (int i = 0; i < 10; i++) {
            // Publishing never waits for the slow listener, and never fails because of it.
            bus.publish(record("k", "r" + i)).toCompletableFuture().get(1, TimeUnit.SECONDS);
            int published = i + 1;
            await().atMost(TIMEOUT).until(() -> fast.size() == published);
        }
        release.countDown();

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(slow.size() + hub.droppedBroadcastRecords())
                .isEqualTo(10));
        assertThat(hub.droppedBroadcastRecords()).isBetween(7L, 8L);
        assertThat(slow).startsWith("r0").isSubsetOf(fast);
        assertThat(fast).hasSize(10);
    }

    @Test
    void fullGroupBacklogRefusesThePublishAndQueuesItNowhere() throws Exception {
        InMemoryBusHub hub = new InMemoryBusHub(100, 3, 0);
        InMemoryMessageBus bus = node(hub);
        List<String> broadcast = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeBroadcast(BusTopic.MESSAGES, record -> broadcast.add(text(record)));
        // A group whose only member left keeps collecting records, like a Kafka group's committed offset.
        bus.subscribeShared(BusTopic.MESSAGES, "persister", batch -> {}).close();

        for (int i = 0; i < 3; i++) {
            bus.publish(record("k", "r" + i)).toCompletableFuture().get(1, TimeUnit.SECONDS);
        }
        CompletionStage<Void> refused = bus.publish(record("k", "refused"));

        assertThat(refused)
                .failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(BackendUnavailableException.class)
                .withMessageContaining("persister");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(broadcast).containsExactly("r0", "r1", "r2"));

        List<String> persisted = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeShared(BusTopic.MESSAGES, "persister", batch -> batch.forEach(r -> persisted.add(text(r))));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(persisted).containsExactly("r0", "r1", "r2"));
        assertThat(bus.publish(record("k", "r3")))
                .as("room again once the group caught up")
                .succeedsWithin(TIMEOUT);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(persisted).containsExactly("r0", "r1", "r2", "r3"));
    }

    @Test
    void newGroupReplaysOnlyTheRetainedRecords() throws Exception {
        InMemoryBusHub hub = new InMemoryBusHub(100, 100, 2);
        InMemoryMessageBus bus = node(hub);
        for (int i = 0; i < 5; i++) {
            bus.publish(record("k", "r" + i)).toCompletableFuture().get(1, TimeUnit.SECONDS);
        }

        List<String> received = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeShared(BusTopic.MESSAGES, "late", batch -> batch.forEach(r -> received.add(text(r))));

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received).containsExactly("r3", "r4"));
    }

    @Test
    void nodesOfOneHubShareRecordsAndSeparateHubsDoNot() {
        InMemoryBusHub hub = new InMemoryBusHub();
        InMemoryMessageBus a = node(hub);
        InMemoryMessageBus b = node(hub);
        InMemoryMessageBus elsewhere = node(new InMemoryBusHub());
        List<String> onB = Collections.synchronizedList(new ArrayList<>());
        List<String> onElsewhere = Collections.synchronizedList(new ArrayList<>());
        b.subscribeBroadcast(BusTopic.EVENTS, r -> onB.add(text(r)));
        elsewhere.subscribeBroadcast(BusTopic.EVENTS, r -> onElsewhere.add(text(r)));

        a.publish(new BusRecord(BusTopic.EVENTS, "k", "from-a".getBytes(StandardCharsets.UTF_8)));
        elsewhere.publish(new BusRecord(BusTopic.EVENTS, "k", "from-elsewhere".getBytes(StandardCharsets.UTF_8)));

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(onB).containsExactly("from-a");
            assertThat(onElsewhere).containsExactly("from-elsewhere");
        });
        assertThat(a.hub()).isSameAs(b.hub()).isNotSameAs(elsewhere.hub());
    }

    @Test
    void membersOfAGroupSplitTheKeys() {
        InMemoryBusHub hub = new InMemoryBusHub();
        InMemoryMessageBus a = node(hub);
        InMemoryMessageBus b = node(hub);
        Set<String> onA = ConcurrentHashMap.newKeySet();
        Set<String> onB = ConcurrentHashMap.newKeySet();
        a.subscribeShared(BusTopic.MESSAGES, "g", batch -> batch.forEach(r -> onA.add(r.key())));
        b.subscribeShared(BusTopic.MESSAGES, "g", batch -> batch.forEach(r -> onB.add(r.key())));

        for (int i = 0; i < 64; i++) {
            a.publish(record("key-" + i, "r" + i));
        }

        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(onA.size() + onB.size()).isEqualTo(64));
        assertThat(onA).isNotEmpty().doesNotContainAnyElementsOf(onB);
        assertThat(onB).isNotEmpty();
    }

    @Test
    void listenerMayCloseItsOwnBus() {
        InMemoryMessageBus bus = node(new InMemoryBusHub());
        CountDownLatch closed = new CountDownLatch(1);
        bus.subscribeBroadcast(BusTopic.MESSAGES, record -> {
            bus.close();
            closed.countDown();
        });

        bus.publish(record("k", "close please"));

        await().atMost(TIMEOUT).until(() -> closed.getCount() == 0);
        assertThat(bus.publish(record("k", "late")))
                .failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ClosedException.class);
    }

    @Test
    void subscribingAfterCloseIsRefused() {
        InMemoryMessageBus bus = node(new InMemoryBusHub());
        bus.close();

        assertThatThrownBy(() -> bus.subscribeBroadcast(BusTopic.MESSAGES, r -> {}))
                .isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> bus.subscribeShared(BusTopic.MESSAGES, "g", b -> {}))
                .isInstanceOf(ClosedException.class);
    }

    @Test
    void subscriptionCloseIsIdempotentAndBlankGroupsAreRefused() {
        InMemoryMessageBus bus = node(new InMemoryBusHub());
        BusSubscription subscription = bus.subscribeShared(BusTopic.EVENTS, "g", b -> {});
        subscription.close();
        subscription.close();

        assertThatThrownBy(() -> bus.subscribeShared(BusTopic.EVENTS, " ", b -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group");
    }

    @Test
    void boundsAreValidatedAndNamed() {
        assertThatThrownBy(() -> new InMemoryBusHub(0, 10, 0))
                .hasMessageContaining("subscriberQueueCapacity")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> new InMemoryBusHub(10, 0, 0)).hasMessageContaining("groupBacklogCapacity");
        assertThatThrownBy(() -> new InMemoryBusHub(10, 10, 11))
                .hasMessageContaining("retainedRecords")
                .hasMessageContaining("11");
        assertThatThrownBy(() -> new InMemoryBusHub(10, 10, -1)).hasMessageContaining("retainedRecords");
    }

    private static BusRecord record(String key, String text) {
        return new BusRecord(BusTopic.MESSAGES, key, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(BusRecord record) {
        return new String(record.payload(), StandardCharsets.UTF_8);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
