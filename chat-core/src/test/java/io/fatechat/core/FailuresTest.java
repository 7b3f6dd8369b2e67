package io.fatechat.core;

import static io.fatechat.core.TestEngines.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.BatchListener;
import io.fatechat.spi.BroadcastListener;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusSubscription;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ErrorCode;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.Room;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the engine does when the bus or the history store fails. */
class FailuresTest {

    /** Publishes through a real in-memory bus unless told to fail or hold messages. */
    static final class ControllableBus implements MessageBus {
        final InMemoryMessageBus delegate = new InMemoryMessageBus();
        final AtomicReference<Throwable> failWith = new AtomicReference<>();
        final AtomicReference<RuntimeException> throwWith = new AtomicReference<>();
        final AtomicReference<CompletableFuture<Void>> gate = new AtomicReference<>();
        /** Fails the publish at once but delivers its record once this completes, as a timed-out Kafka send can. */
        final AtomicReference<CompletableFuture<Void>> failButDeliverAfter = new AtomicReference<>();

        @Override
        public CompletionStage<Void> publish(BusRecord record) {
            if (record.topic() == BusTopic.MESSAGES) {
                if (throwWith.get() != null) {
                    throw throwWith.get();
                }
                if (failWith.get() != null) {
                    return CompletableFuture.failedFuture(failWith.get());
                }
                CompletableFuture<Void> late = failButDeliverAfter.get();
                if (late != null) {
                    late.thenRun(() -> delegate.publish(record));
                    return CompletableFuture.failedFuture(
                            new BackendUnavailableException("kafka", "publish timed out", null));
                }
                CompletableFuture<Void> hold = gate.get();
                if (hold != null) {
                    return hold.thenCompose(ignored -> delegate.publish(record));
                }
            }
            return delegate.publish(record);
        }

        @Override
        public BusSubscription subscribeBroadcast(BusTopic topic, BroadcastListener listener) {
            return delegate.subscribeBroadcast(topic, listener);
        }

        @Override
        public BusSubscription subscribeShared(BusTopic topic, String group, BatchListener listener) {
            return delegate.subscribeShared(topic, group, listener);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Fails the first {@code failures} appends, like a database that is briefly down. */
    static final class FlakyHistoryStore implements HistoryStore {
        final InMemoryHistoryStore delegate = new InMemoryHistoryStore();
        final AtomicInteger failuresLeft;
        final AtomicInteger appendCalls = new AtomicInteger();

        FlakyHistoryStore(int failures) {
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public void append(List<ChatMessage> batch) {
            appendCalls.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
                throw new BackendUnavailableException("jdbc", "connection refused", null);
            }
            delegate.append(batch);
        }

        @Override
        public List<ChatMessage> page(ConversationId conversation, String beforeId, int limit) {
            return delegate.page(conversation, beforeId, limit);
        }

        @Override
        public Optional<ChatMessage> findByClientId(String sender, String clientId) {
            if (failuresLeft.get() > 0) {
                throw new BackendUnavailableException("jdbc", "connection refused", null);
            }
            return delegate.findByClientId(sender, clientId);
        }
    }

    private final ControllableBus bus = new ControllableBus();
    private final FlakyHistoryStore history = new FlakyHistoryStore(0);
    private final RecordingSink sink = new RecordingSink();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private ChatEngine engine;
    private ChatConnection alice;
    private Room general;

    @BeforeEach
    void start() {
        engine = TestEngines.builder()
                .messageBus(bus)
                .historyStore(history)
                .metrics(metrics)
                .build();
        engine.attach(sink);
        general = engine.createRoom("alice@x.io", "General");
        alice = engine.connect("alice@x.io");
        alice.joinRoom("General");
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.roomMessages.size() == 1);
    }

    @AfterEach
    void close() {
        engine.close();
        bus.close();
    }

    @Test
    void aFailedPublishReachesTheSenderAsBackendUnavailable() throws Exception {
        bus.failWith.set(new IllegalStateException("broker down"));

        CompletableFuture<SendReceipt> send =
                alice.sendMessage("General", "lost?", "c-1").toCompletableFuture();

        assertThatThrownBy(() -> send.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(BackendUnavailableException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("broker down");
                });
        assertThat(metrics.refused).containsExactly(ErrorCode.UNAVAILABLE);
        assertThat(metrics.sent).hasValue(0);

        // The failed send leaves nothing behind: a retry with the same client id is sent as new.
        bus.failWith.set(null);
        SendReceipt retry = await(alice.sendMessage("General", "lost?", "c-1"));
        assertThat(retry.duplicate()).isFalse();
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("lost?"));
        assertThat(sink.roomMessages)
                .filteredOn(m -> TestEngines.storedClientId("General", "c-1").equals(m.clientId()))
                .hasSize(1);
    }

    @Test
    void aChatExceptionFromTheBusIsPassedOnAsIs() {
        bus.failWith.set(new BackendUnavailableException("kafka", "not enough replicas", null));
        assertThatThrownBy(() -> await(alice.sendMessage("General", "hi", null)))
                .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.backend())
                        .isEqualTo("kafka"));
    }

    @Test
    void aPublishThatThrowsCompletesTheStageExceptionally() {
        bus.throwWith.set(new IllegalStateException("bug in the bus"));
        CompletionStage<SendReceipt> send = alice.sendMessage("General", "hi", null);
        assertThatThrownBy(() -> await(send)).isInstanceOf(BackendUnavailableException.class);
    }

    @Test
    void aReSendWhileTheFirstIsInFlightWaitsForItAndIsNotPublishedAgain() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        bus.gate.set(gate);
        CompletionStage<SendReceipt> first = alice.sendMessage("General", "slow", "c-2");
        CompletionStage<SendReceipt> second = alice.sendMessage("General", "slow", "c-2");
        assertThat(first.toCompletableFuture()).isNotDone();
        assertThat(second.toCompletableFuture()).isNotDone();

        bus.gate.set(null);
        gate.complete(null);

        SendReceipt original = await(first);
        SendReceipt duplicate = await(second);
        assertThat(original.duplicate()).isFalse();
        assertThat(duplicate).isEqualTo(new SendReceipt(original.id(), original.createdAt(), true));
        await(alice.sendMessage("General", "marker", null));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("marker"));
        assertThat(sink.texts("General")).containsOnlyOnce("slow");
        assertThat(metrics.sent).hasValue(2);
    }

    @Test
    void aFailingHistoryAppendIsRetriedAndLandsExactlyOnce() {
        history.failuresLeft.set(2);
        SendReceipt receipt = await(alice.sendMessage("General", "durable", "c-3"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> history.delegate
                .findByClientId("alice@x.io", TestEngines.storedClientId("General", "c-3"))
                .isPresent());
        assertThat(history.appendCalls.get()).isGreaterThanOrEqualTo(3);
        assertThat(history.page(general.conversation(), null, 10))
                .extracting(ChatMessage::id)
                .containsOnlyOnce(receipt.id());
        assertThat(sink.texts("General"))
                .as("delivery does not wait for history")
                .contains("durable");
    }

    @Test
    void aMalformedRecordIsSkippedAndDoesNotBlockLaterMessages() {
        bus.delegate.publish(
                new BusRecord(BusTopic.MESSAGES, "r:General", "not json".getBytes(StandardCharsets.UTF_8)));
        bus.delegate.publish(new BusRecord(BusTopic.EVENTS, "r:General", "{\"v\":1}".getBytes(StandardCharsets.UTF_8)));
        SendReceipt after = await(alice.sendMessage("General", "after", null));

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> history.page(general.conversation(), null, 10).size() == 2);
        assertThat(history.page(general.conversation(), null, 10).get(0).id()).isEqualTo(after.id());
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("after"));
    }

    @Test
    void aSinkThatThrowsDoesNotStopTheOthers() {
        engine.attach(new ChatEventSink() {
            @Override
            public void roomMessage(ChatMessage message) {
                throw new IllegalStateException("bad sink");
            }

            @Override
            public void privateMessage(ChatMessage message) {}

            @Override
            public void onlineUsers(String room, List<String> users) {}

            @Override
            public void typing(String room, String user, String originConnectionId) {}
        });
        RecordingSink later = new RecordingSink();
        engine.attach(later);
        await(alice.sendMessage("General", "still here", null));
        await().atMost(10, TimeUnit.SECONDS).until(() -> later.texts("General").contains("still here"));
        assertThat(sink.texts("General")).contains("still here");
    }

    @Test
    void aDetachedSinkReceivesNothingMore() throws Exception {
        RecordingSink detached = new RecordingSink();
        engine.attach(detached).close();
        await(alice.sendMessage("General", "unseen", null));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("unseen"));
        assertThat(detached.roomMessages).isEmpty();
    }
}
