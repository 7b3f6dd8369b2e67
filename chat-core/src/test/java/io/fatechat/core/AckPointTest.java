package io.fatechat.core;

import static io.fatechat.core.TestEngines.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.memory.InMemoryConversationStore;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a send is acked: after the history store's commit on the in-memory bus, after the bus on a durable one. */
class AckPointTest {

    /** An in-memory store whose appends can be held at a gate, refused, or made to fail; records batch sizes. */
    static final class GatedHistoryStore implements HistoryStore {
        final InMemoryHistoryStore delegate = new InMemoryHistoryStore();
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final AtomicReference<RuntimeException> failWith = new AtomicReference<>();
        private volatile CountDownLatch gate;
        private final AtomicInteger waiting = new AtomicInteger();

        /** Holds every append from now on until {@link #open()}. */
        void hold() {
            gate = new CountDownLatch(1);
        }

        void open() {
            CountDownLatch held = gate;
            gate = null;
            if (held != null) {
                held.countDown();
            }
        }

        /** True once an append is waiting at the gate. */
        boolean appendWaiting() {
            return waiting.get() > 0;
        }

        @Override
        public void append(List<ChatMessage> batch) {
            CountDownLatch held = gate;
            if (held != null) {
                waiting.incrementAndGet();
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted at the gate", e);
                } finally {
                    waiting.decrementAndGet();
                }
            }
            RuntimeException failure = failWith.get();
            if (failure != null) {
                throw failure;
            }
            if (batch.stream().anyMatch(m -> m.text().equals("poison"))) {
                throw new InvalidInputException("text", "refused by the store");
            }
            delegate.append(batch);
            batchSizes.add(batch.size());
        }

        @Override
        public List<ChatMessage> page(ConversationId conversation, String beforeId, int limit) {
            return delegate.page(conversation, beforeId, limit);
        }

        /** Client-id lookups asked of this store; while {@link #lookupGate} is closed they hang, as on a dead database. */
        final AtomicInteger lookups = new AtomicInteger();

        final CountDownLatch lookupGate = new CountDownLatch(1);
        volatile boolean lookupsHang;

        @Override
        public Optional<ChatMessage> findByClientId(String sender, String clientId) {
            lookups.incrementAndGet();
            if (lookupsHang) {
                try {
                    lookupGate.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new BackendUnavailableException("history", "connection timed out", null);
            }
            return delegate.findByClientId(sender, clientId);
        }
    }

    private final GatedHistoryStore history = new GatedHistoryStore();
    /** Shared by the engines of a test, as a database would be across restarts. */
    private final InMemoryRoomStore rooms = new InMemoryRoomStore();

    private final InMemoryUserStore users = new InMemoryUserStore();
    private final RecordingSink sink = new RecordingSink();
    private final List<ChatEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        history.lookupGate.countDown();
        history.open();
        engines.forEach(ChatEngine::close);
    }

    private ChatEngine start(ChatEngine.Builder builder) {
        ChatEngine engine = builder.historyStore(history)
                .roomStore(rooms)
                .userStore(users)
                .limits(ChatLimits.builder()
                        .messagesPerSecond(10_000)
                        .messageBurst(10_000)
                        .build())
                .build();
        engines.add(engine);
        engine.attach(sink);
        return engine;
    }

    /** A connection of {@code user} in room "General", its join event message stored and delivered. */
    private ChatConnection joined(ChatEngine engine, String user) {
        if (engine.rooms().isEmpty()) {
            engine.createRoom(user, "General");
        }
        ChatConnection connection = engine.connect(user);
        int before = sink.texts("General").size();
        connection.joinRoom("General");
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").size() > before);
        return connection;
    }

    @Test
    void onTheInMemoryBusASendIsAckedAndShownOnlyOnceTheStoreHasCommittedIt() {
        ChatEngine engine = start(TestEngines.builder());
        assertThat(engine.ackPoint()).isEqualTo(AckPoint.HISTORY);
        ChatConnection alice = joined(engine, "alice@x.io");
        history.hold();

        CompletableFuture<SendReceipt> receipt =
                alice.sendMessage("General", "hello", "c1").toCompletableFuture();
        await().atMost(10, TimeUnit.SECONDS).until(history::appendWaiting);

        assertThat(receipt).as("no ack before the commit").isNotDone();
        assertThat(sink.texts("General")).as("nothing shown before the commit").doesNotContain("hello");
        assertThat(history.delegate.findByClientId("alice@x.io", TestEngines.storedClientId("General", "c1")))
                .isEmpty();

        history.open();
        SendReceipt ack = await(receipt);
        assertThat(history.delegate.findByClientId("alice@x.io", TestEngines.storedClientId("General", "c1")))
                .get()
                .extracting(ChatMessage::id)
                .isEqualTo(ack.id());
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("hello"));
    }

    @Test
    void messagesArrivingDuringACommitAreCommittedTogetherAsOneBatch() {
        ChatEngine engine = start(TestEngines.builder());
        ChatConnection alice = joined(engine, "alice@x.io");
        ChatConnection bob = joined(engine, "bob@x.io");
        engine.register("alice@x.io", "a password");
        history.batchSizes.clear();
        history.hold();

        List<CompletableFuture<SendReceipt>> receipts = new ArrayList<>();
        receipts.add(alice.sendMessage("General", "first", null).toCompletableFuture());
        await().atMost(10, TimeUnit.SECONDS).until(history::appendWaiting);
        for (int i = 0; i < 50; i++) {
            ChatConnection sender = i % 2 == 0 ? alice : bob;
            receipts.add(
                    i % 5 == 4
                            ? sender.sendPrivateMessage("alice@x.io", "note " + i, "p" + i)
                                    .toCompletableFuture()
                            : sender.sendMessage("General", "message " + i, "m" + i)
                                    .toCompletableFuture());
        }
        history.open();

        receipts.forEach(TestEngines::await);
        assertThat(history.batchSizes)
                .as("one append for the first, one for the 50 that queued behind it")
                .containsExactly(1, 50);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> sink.texts("General").stream()
                                .filter(t -> t.startsWith("message "))
                                .count()
                        == 40);
        assertThat(sink.texts("General").stream()
                        .filter(t -> t.startsWith("message "))
                        .toList())
                .as("shown in send order")
                .isSortedAccordingTo(
                        (a, b) -> Integer.compare(Integer.parseInt(a.substring(8)), Integer.parseInt(b.substring(8))));
    }

    @Test
    void aFailedCommitIsRefusedAndShowsNothingAndARetryOfItsClientIdIsStoredOnce() {
        ChatEngine engine = start(TestEngines.builder());
        ChatConnection alice = joined(engine, "alice@x.io");
        history.failWith.set(new BackendUnavailableException("jdbc", "database down", null));

        assertThatThrownBy(() -> await(alice.sendMessage("General", "lost?", "c1")))
                .isInstanceOf(BackendUnavailableException.class);
        history.failWith.set(null);

        SendReceipt retry = await(alice.sendMessage("General", "lost?", "c1"));
        assertThat(retry.duplicate()).isFalse();
        SendReceipt again = await(alice.sendMessage("General", "lost?", "c1"));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.id()).isEqualTo(retry.id());
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("lost?"));
        assertThat(sink.texts("General")).containsOnlyOnce("lost?");
        assertThat(history.delegate.page(ConversationId.room("General"), null, 10))
                .filteredOn(m -> m.text().equals("lost?"))
                .singleElement()
                .extracting(ChatMessage::id)
                .isEqualTo(retry.id());
    }

    @Test
    void aClientIdResentToANewEngineAfterARestartReturnsTheStoredOriginal() {
        ChatEngine first = start(TestEngines.builder());
        SendReceipt original = await(joined(first, "alice@x.io").sendMessage("General", "hello", "c1"));
        first.close();

        ChatEngine second = start(TestEngines.builder());
        ChatConnection alice = second.connect("alice@x.io");
        alice.joinRoom("General");
        SendReceipt resent = await(alice.sendMessage("General", "hello", "c1"));

        assertThat(resent.duplicate()).isTrue();
        assertThat(resent.id()).isEqualTo(original.id());
        assertThat(resent.createdAt()).isEqualTo(original.createdAt());
        assertThat(history.delegate.page(ConversationId.room("General"), null, 10))
                .filteredOn(m -> TestEngines.storedClientId("General", "c1").equals(m.clientId()))
                .hasSize(1);
    }

    @Test
    void aMessageTheStoreRefusesFailsAloneNotTheRestOfItsBatch() {
        ChatEngine engine = start(TestEngines.builder());
        ChatConnection alice = joined(engine, "alice@x.io");
        history.hold();
        CompletableFuture<SendReceipt> first =
                alice.sendMessage("General", "first", null).toCompletableFuture();
        await().atMost(10, TimeUnit.SECONDS).until(history::appendWaiting);
        CompletableFuture<SendReceipt> before =
                alice.sendMessage("General", "before", null).toCompletableFuture();
        CompletableFuture<SendReceipt> poison =
                alice.sendMessage("General", "poison", null).toCompletableFuture();
        CompletableFuture<SendReceipt> after =
                alice.sendMessage("General", "after", null).toCompletableFuture();
        history.open();

        await(first);
        await(before);
        await(after);
        assertThatThrownBy(() -> await(poison))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("text"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("after"));
        assertThat(sink.texts("General")).doesNotContain("poison");
    }

    @Test
    void beyondTheQueueCapacityASendIsRefusedAsUnavailable() {
        ChatEngine engine = start(TestEngines.builder()
                .groupCommit(GroupCommit.builder().queueCapacity(2).build()));
        ChatConnection alice = joined(engine, "alice@x.io");
        history.hold();
        CompletableFuture<SendReceipt> inFlight =
                alice.sendMessage("General", "in flight", null).toCompletableFuture();
        await().atMost(10, TimeUnit.SECONDS).until(history::appendWaiting);
        CompletableFuture<SendReceipt> queued1 =
                alice.sendMessage("General", "queued 1", null).toCompletableFuture();
        CompletableFuture<SendReceipt> queued2 =
                alice.sendMessage("General", "queued 2", null).toCompletableFuture();

        assertThatThrownBy(() -> await(alice.sendMessage("General", "one too many", "c9")))
                .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.getMessage())
                        .contains("2 messages are waiting"));
        history.open();
        await(inFlight);
        await(queued1);
        await(queued2);
        assertThat(await(alice.sendMessage("General", "one too many", "c9")).duplicate())
                .as("the refused client id was not remembered")
                .isFalse();
    }

    @Test
    void closingCommitsWhatIsWaitingAndRefusesLaterSends() throws Exception {
        ChatEngine engine = start(TestEngines.builder());
        ChatConnection alice = joined(engine, "alice@x.io");
        history.hold();
        CompletableFuture<SendReceipt> waiting =
                alice.sendMessage("General", "waiting", "w1").toCompletableFuture();
        await().atMost(10, TimeUnit.SECONDS).until(history::appendWaiting);

        Thread closer = new Thread(engine::close);
        closer.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> closer.getState() != Thread.State.RUNNABLE);
        history.open();
        closer.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(closer.isAlive()).isFalse();
        assertThat(await(waiting).id())
                .isEqualTo(history.delegate
                        .findByClientId("alice@x.io", TestEngines.storedClientId("General", "w1"))
                        .orElseThrow()
                        .id());
        assertThatThrownBy(() -> alice.sendMessage("General", "late", null)).isInstanceOf(ClosedException.class);
    }

    @Test
    void onADurableBusTheAckAndDeliveryDoNotWaitForTheStore() {
        // the in-memory bus behind a MessageBus that keeps the SPI default: durable, as Kafka is
        FailuresTest.ControllableBus bus = new FailuresTest.ControllableBus();
        ChatEngine engine = start(TestEngines.builder().messageBus(bus));
        assertThat(engine.ackPoint()).isEqualTo(AckPoint.BUS);
        engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io");
        history.hold();
        alice.joinRoom("General");

        SendReceipt ack = await(alice.sendMessage("General", "hello", "c1"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("hello"));
        assertThat(history.delegate.findByClientId("alice@x.io", TestEngines.storedClientId("General", "c1")))
                .as("the persister is still held")
                .isEmpty();
        history.open();
        await().atMost(10, TimeUnit.SECONDS).until(() -> history.delegate
                .findByClientId("alice@x.io", TestEngines.storedClientId("General", "c1"))
                .map(ChatMessage::id)
                .equals(Optional.of(ack.id())));
        bus.close();
    }

    @Test
    void onADurableBusAReSendAfterATimedOutPublishThatLandedAnywayIsAckedWithTheStoredIdAndShownOnce() {
        FailuresTest.ControllableBus bus = new FailuresTest.ControllableBus();
        ChatEngine engine = start(TestEngines.builder().messageBus(bus));
        engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io");
        alice.joinRoom("General");
        CompletableFuture<Void> late = new CompletableFuture<>();
        bus.failButDeliverAfter.set(late);

        assertThatThrownBy(() -> await(alice.sendMessage("General", "timed out", "c1")))
                .isInstanceOf(BackendUnavailableException.class);
        bus.failButDeliverAfter.set(null);
        CompletableFuture<Void> retryHeld = new CompletableFuture<>();
        bus.gate.set(retryHeld);
        CompletableFuture<SendReceipt> retry =
                alice.sendMessage("General", "timed out", "c1").toCompletableFuture();
        late.complete(null); // the first attempt reaches the bus after all, ahead of the re-send
        bus.gate.set(null);
        retryHeld.complete(null);
        SendReceipt ack = await(retry);
        await(alice.sendMessage("General", "marker", null));

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> sink.texts("General").contains("marker")
                        && history.delegate.page(ConversationId.room("General"), null, 10).stream()
                                .anyMatch(m -> m.text().equals("marker")));
        assertThat(history.delegate.findByClientId("alice@x.io", TestEngines.storedClientId("General", "c1")))
                .as("the message the ack names is the one stored")
                .map(ChatMessage::id)
                .contains(ack.id());
        assertThat(sink.texts("General")).containsOnlyOnce("timed out");
        bus.close();
    }

    @Test
    void onADurableBusASendDoesNotWaitForAHistoryLookupThatHangs() {
        FailuresTest.ControllableBus bus = new FailuresTest.ControllableBus();
        ChatEngine engine = start(TestEngines.builder().messageBus(bus));
        assertThat(engine.ackPoint()).isEqualTo(AckPoint.BUS);
        engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io");
        alice.joinRoom("General");
        history.lookupsHang = true;

        SendReceipt first = await(alice.sendMessage("General", "while the database hangs", "hung-1"));

        assertThat(history.lookups.get())
                .as("the lookup was asked and still hangs")
                .isEqualTo(1);
        assertThat(history.lookupGate.getCount()).isEqualTo(1);
        SendReceipt second = await(alice.sendMessage("General", "still hanging", "hung-2"));
        assertThat(history.lookups.get())
                .as("no new lookup while the history failed just now")
                .isEqualTo(1);
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(await(alice.sendMessage("General", "a re-send", "hung-1")))
                .as("a re-send this node saw is still a duplicate")
                .isEqualTo(new SendReceipt(first.id(), first.createdAt(), true));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("still hanging"));
        bus.close();
    }

    @Test
    void anExplicitAckPointOverridesTheBusKind() {
        assertThat(start(TestEngines.builder().ackPoint(AckPoint.BUS)).ackPoint())
                .isEqualTo(AckPoint.BUS);
        FailuresTest.ControllableBus bus = new FailuresTest.ControllableBus();
        assertThat(start(TestEngines.builder().messageBus(bus).ackPoint(AckPoint.HISTORY))
                        .ackPoint())
                .isEqualTo(AckPoint.HISTORY);
        assertThat(start(TestEngines.builder().persistHistory(false)).ackPoint())
                .as("a node that writes no history acks on the bus")
                .isEqualTo(AckPoint.BUS);
        bus.close();
    }

    @Test
    void theGroupCommitSettingsAreValidated() {
        assertThatThrownBy(() -> ChatEngine.builder().ackPoint(null)).hasMessageContaining("ackPoint");
        assertThatThrownBy(() -> ChatEngine.builder().groupCommit(null)).hasMessageContaining("groupCommit");
        assertThatThrownBy(
                        () -> GroupCommit.builder().delay(Duration.ofMillis(-1)).build())
                .hasMessageContaining("delay")
                .hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() ->
                        GroupCommit.builder().delay(Duration.ofMillis(101)).build())
                .hasMessageContaining("delay")
                .hasMessageContaining("PT0.101S");
        assertThatThrownBy(() -> GroupCommit.builder().delay(null).build()).hasMessageContaining("delay");
        assertThatThrownBy(() -> GroupCommit.builder().maxBatch(0).build())
                .hasMessageContaining("maxBatch")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> GroupCommit.builder().maxBatch(10_001).build()).hasMessageContaining("10001");
        assertThatThrownBy(() -> GroupCommit.builder().queueCapacity(0).build())
                .hasMessageContaining("queueCapacity")
                .hasMessageContaining("0");
        assertThat(GroupCommit.DEFAULTS).isEqualTo(new GroupCommit(Duration.ZERO, 1_000, 10_000));
        assertThatThrownBy(() -> ChatEngine.builder()
                        .ackPoint(AckPoint.HISTORY)
                        .persistHistory(false)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("persistHistory");
    }

    @Test
    void aCommitDelayGathersMessagesThatArriveWithinIt() {
        ChatEngine engine = start(TestEngines.builder()
                .groupCommit(GroupCommit.builder().delay(Duration.ofMillis(100)).build()));
        ChatConnection alice = joined(engine, "alice@x.io");
        history.batchSizes.clear();

        List<CompletableFuture<SendReceipt>> receipts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            receipts.add(alice.sendMessage("General", "m" + i, null).toCompletableFuture());
        }
        receipts.forEach(TestEngines::await);

        assertThat(history.batchSizes.stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(5);
        assertThat(history.batchSizes.size()).as("fewer commits than messages").isLessThan(5);
    }

    /** Unread counting held at a gate: everything else is the in-memory store's. */
    static final class GatedConversationStore extends ForwardingConversationStore {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger recordsWaiting = new AtomicInteger();
        final List<Integer> recordedSizes = new CopyOnWriteArrayList<>();

        GatedConversationStore() {
            super(new InMemoryConversationStore());
        }

        @Override
        public void record(List<ChatMessage> batch) {
            recordedSizes.add(batch.size());
            recordsWaiting.incrementAndGet();
            try {
                gate.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                recordsWaiting.decrementAndGet();
            }
            delegate.record(batch);
        }
    }

    @Test
    void theAckAndTheDeliveryDoNotWaitForTheUnreadCountsOfTheBatch() {
        GatedConversationStore conversations = new GatedConversationStore();
        ChatEngine engine = start(TestEngines.builder().conversationStore(conversations));
        ChatConnection alice = joined(engine, "alice@x.io");
        joined(engine, "bob@x.io");
        await().atMost(10, TimeUnit.SECONDS).until(() -> conversations.recordsWaiting.get() > 0);

        SendReceipt ack = await(alice.sendMessage("General", "counted later", "c1"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("counted later"));
        assertThat(conversations.delegate.find("bob@x.io", ConversationId.room("General")))
                .as("acked and shown while the counting is held")
                .get()
                .extracting(Conversation::unreadCount)
                .isEqualTo(0L);

        conversations.gate.countDown();
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> conversations
                                .delegate
                                .find("bob@x.io", ConversationId.room("General"))
                                .map(Conversation::unreadCount)
                                .orElse(0L)
                        == 1L);
        assertThat(ack.duplicate()).isFalse();
    }

    @Test
    void batchesThatWaitForTheCountingAreCountedTogether() {
        GatedConversationStore conversations = new GatedConversationStore();
        ChatEngine engine = start(TestEngines.builder().conversationStore(conversations));
        ChatConnection alice = joined(engine, "alice@x.io");
        await().atMost(10, TimeUnit.SECONDS).until(() -> conversations.recordsWaiting.get() > 0);
        int before = conversations.recordedSizes.size();

        for (int i = 0; i < 10; i++) {
            await(alice.sendMessage("General", "m" + i, null));
        }
        conversations.gate.countDown();
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> conversations.recordedSizes.stream()
                                .skip(before)
                                .mapToInt(Integer::intValue)
                                .sum()
                        >= 10);

        assertThat(conversations.recordedSizes.subList(before, conversations.recordedSizes.size()))
                .as("ten one-message commits, counted in one go once the counter is free")
                .containsExactly(10);
    }

    @Test
    void theCounterCountsAtMostOncePerIntervalAndWhatIsLeftAtOnceWhenClosing() {
        GatedConversationStore conversations = new GatedConversationStore();
        conversations.gate.countDown();
        ChatEngine engine = start(
                TestEngines.builder().conversationStore(conversations).unreadPushInterval(Duration.ofMinutes(10)));
        ChatConnection alice = joined(engine, "alice@x.io");
        await().atMost(10, TimeUnit.SECONDS).until(() -> !conversations.recordedSizes.isEmpty());
        int before = conversations.recordedSizes.size();

        for (int i = 0; i < 3; i++) {
            await(alice.sendMessage("General", "m" + i, null));
        }
        assertThat(conversations.recordedSizes)
                .as("nothing more is counted within the interval")
                .hasSize(before);
        engine.close();

        List<Integer> after = conversations.recordedSizes.subList(before, conversations.recordedSizes.size());
        assertThat(after).as("what waited is counted in one go on closing").hasSize(1);
        assertThat(after.get(0)).isGreaterThanOrEqualTo(3);
    }
}
