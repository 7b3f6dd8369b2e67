package io.fatechat.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.ChatConnection;
import io.fatechat.core.SendReceipt;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.ConversationId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker goes away in the middle of a stream of sends and comes back: nothing acknowledged is lost or
 * doubled, nothing is left unanswered, and the nodes recover without help.
 */
class BrokerOutageIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.ownedByClass();

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        KAFKA.ensureBrokerRunning();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void everyAcknowledgedMessageIsStoredOnceAndDeliveredOnceToEveryNode() throws Exception {
        String topics = KafkaBroker.uniquePrefix("outage");
        ChatNodes cluster = new ChatNodes();
        toClose.add(cluster);
        // Long enough for sends made during the outage to wait for the broker rather than fail.
        ChatNodes.Node nodeA = cluster.start(KAFKA.busConfig("node-a", topics)
                .publishTimeout(Duration.ofSeconds(60))
                .build());
        ChatNodes.Node nodeB = cluster.start(KAFKA.busConfig("node-b", topics)
                .publishTimeout(Duration.ofSeconds(60))
                .build());
        nodeA.engine().register("alice@example.com", "alice-password");
        nodeA.engine().register("bob@example.com", "bob-password");
        nodeA.engine().createRoom("alice@example.com", "lobby");
        ChatConnection alice = nodeA.engine().connect("alice@example.com");
        ChatConnection bob = nodeB.engine().connect("bob@example.com");
        // One join at a time: each node publishes its own snapshot of the online users, and two snapshots
        // published at once by different nodes may reach the topic in either order.
        alice.joinRoom("lobby");
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodeB.sink().onlineUsers("lobby"))
                .containsExactly("alice@example.com"));
        bob.joinRoom("lobby");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(nodeA.sink().onlineUsers("lobby")).containsExactly("alice@example.com", "bob@example.com");
            assertThat(nodeB.sink().onlineUsers("lobby")).containsExactly("alice@example.com", "bob@example.com");
        });

        List<CompletableFuture<SendReceipt>> before = send(alice, bob, "before", 20);
        CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        KAFKA.stopBroker();
        List<CompletableFuture<SendReceipt>> during = send(alice, bob, "during", 20);
        KAFKA.startBroker();
        List<CompletableFuture<SendReceipt>> after = send(alice, bob, "after", 20);

        List<CompletableFuture<SendReceipt>> all = new ArrayList<>(before);
        all.addAll(during);
        all.addAll(after);
        List<String> acknowledged = new ArrayList<>();
        for (CompletableFuture<SendReceipt> send : all) {
            try {
                acknowledged.add(send.get(90, TimeUnit.SECONDS).id());
            } catch (ExecutionException e) {
                // Never silence: a send that was not made durable is refused with a clear error.
                assertThat(e.getCause()).isInstanceOf(BackendUnavailableException.class);
            }
        }
        assertThat(acknowledged)
                .as("sends before the outage and after the broker is back")
                .containsAll(ids(before))
                .containsAll(ids(after));

        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Long> stored = countById(cluster.history.page(ConversationId.room("lobby"), null, 10_000));
            assertThat(stored).as("stored messages").containsKeys(acknowledged.toArray(String[]::new));
            assertThat(stored.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
        });
        for (ChatNodes.Node node : List.of(nodeA, nodeB)) {
            await().atMost(WAIT).untilAsserted(() -> {
                Map<String, Long> delivered = countById(node.sink().roomMessages());
                assertThat(delivered)
                        .as("deliveries on %s", node.engine().nodeId())
                        .containsKeys(acknowledged.toArray(String[]::new));
                assertThat(delivered)
                        .as("deliveries per message on %s", node.engine().nodeId())
                        .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            });
        }
    }

    @Test
    void publishFailsClearlyWhileTheBrokerIsDownAndWorksAgainAfterwards() throws Exception {
        KafkaMessageBus bus = KafkaMessageBus.start(KAFKA.busConfig("lonely", KafkaBroker.uniquePrefix("down"))
                .publishTimeout(Duration.ofSeconds(2))
                .build());
        toClose.add(bus);
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeBroadcast(BusTopic.MESSAGES, r -> received.add(new String(r.payload(), StandardCharsets.UTF_8)));

        KAFKA.stopBroker();
        CompletableFuture<Void> refused = bus.publish(record("while down")).toCompletableFuture();
        assertThat(refused)
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(BackendUnavailableException.class);
        KAFKA.startBroker();

        // The same bus and subscription recover by themselves.
        await().atMost(WAIT).untilAsserted(() -> {
            CompletableFuture<Void> retried =
                    bus.publish(record("after restart")).toCompletableFuture();
            assertThat(retried).succeedsWithin(WAIT);
            assertThat(received).contains("after restart");
        });
    }

    /**
     * A publish must end at its own deadline wherever it waits. Here the producer's own waits are made long (60 s)
     * and its buffer small, so that with the broker down the bus's sender thread stays blocked in {@code send},
     * waiting for buffer space behind a record that cannot be delivered; a publish queued behind that send must
     * still fail through its publish timeout (2 s) while the send ahead of it is blocked, not when the sender gets
     * to it (before, it waited for the send ahead of it). And once its caller was told it failed, it is not sent
     * when the broker is back.
     */
    @Test
    void aPublishQueuedBehindABlockedSendFailsThroughItsOwnDeadlineAndIsNotSentLater() throws Exception {
        KafkaMessageBus bus = KafkaMessageBus.start(KAFKA.busConfig("deadline", KafkaBroker.uniquePrefix("deadline"))
                .publishTimeout(Duration.ofSeconds(2))
                .producerProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000)
                .producerProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000)
                .producerProperty(ProducerConfig.BUFFER_MEMORY_CONFIG, 64 * 1024)
                .build());
        toClose.add(bus);
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeBroadcast(BusTopic.MESSAGES, r -> received.add(new String(r.payload(), StandardCharsets.UTF_8)));
        String senderThread = bus.config().clientId() + "-sender";

        KAFKA.stopBroker();
        // Two records of 40 KB: the first takes the buffer until the broker is back, the second waits for space.
        CompletableFuture<Void> filling =
                bus.publish(record("filling" + " ".repeat(40_000))).toCompletableFuture();
        CompletableFuture<Void> blocked =
                bus.publish(record("blocked" + " ".repeat(40_000))).toCompletableFuture();
        await().atMost(WAIT).until(() -> blockedInSend(senderThread));
        CompletableFuture<Void> queued = bus.publish(record("queued behind it")).toCompletableFuture();

        assertThat(queued)
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(BackendUnavailableException.class)
                .havingCause()
                .as("failed by the bus's publish deadline")
                .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class)
                .withMessageContaining("publish timeout");
        assertThat(blockedInSend(senderThread))
                .as("the send ahead of it still blocked when it failed")
                .isTrue();
        for (CompletableFuture<Void> held : List.of(filling, blocked)) {
            assertThat(held)
                    .as("publishes the producer still holds fail at their deadline too")
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(BackendUnavailableException.class);
        }

        KAFKA.startBroker();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(bus.publish(record("after restart")).toCompletableFuture())
                    .succeedsWithin(WAIT);
            assertThat(received).contains("after restart");
        });
        // Same key, same partition: whatever was sent before "after restart" was received before it. The two
        // records the producer held may arrive late (de-duplication by id covers that); the queued one never left.
        assertThat(received).doesNotContain("queued behind it");
    }

    /** Whether the thread waits inside the producer's {@code send}, for metadata or for buffer space. */
    private static boolean blockedInSend(String threadName) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().equals(threadName))
                .anyMatch(thread -> Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getMethodName().equals("waitOnMetadata")
                                || (frame.getClassName().endsWith(".BufferPool")
                                        && frame.getMethodName().equals("allocate"))));
    }

    @Test
    void closeFailsPublishesStillWaitingForTheBroker() throws Exception {
        KafkaMessageBus bus = KafkaMessageBus.start(KAFKA.busConfig("closing", KafkaBroker.uniquePrefix("closing"))
                .publishTimeout(Duration.ofSeconds(60))
                .closeTimeout(Duration.ofMillis(500))
                .build());
        toClose.add(bus);

        KAFKA.stopBroker();
        CompletableFuture<Void> pending =
                bus.publish(record("never acknowledged")).toCompletableFuture();
        bus.close();

        assertThat(pending)
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ClosedException.class);
    }

    private static BusRecord record(String text) {
        return new BusRecord(BusTopic.MESSAGES, "r:lobby", text.getBytes(StandardCharsets.UTF_8));
    }

    /** Alternating senders on the two nodes, each send with a client id as a real client would attach. */
    private static List<CompletableFuture<SendReceipt>> send(
            ChatConnection a, ChatConnection b, String phase, int count) {
        List<CompletableFuture<SendReceipt>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChatConnection from = i % 2 == 0 ? a : b;
            try {
                sends.add(from.sendMessage("lobby", phase + "-" + i, phase + "-" + i)
                        .toCompletableFuture());
            } catch (RuntimeException e) {
                sends.add(CompletableFuture.failedFuture(e));
            }
        }
        return sends;
    }

    private static List<String> ids(List<CompletableFuture<SendReceipt>> sends) {
        return sends.stream().map(CompletableFuture::join).map(SendReceipt::id).toList();
    }

    private static Map<String, Long> countById(List<ChatMessage> messages) {
        return messages.stream()
                .filter(m -> !m.event())
                .collect(Collectors.groupingBy(ChatMessage::id, Collectors.counting()));
    }
}
