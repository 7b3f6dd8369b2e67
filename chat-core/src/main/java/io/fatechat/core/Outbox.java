package io.fatechat.core;

import com.github.f4b6a3.uuid.factory.standard.TimeOrderedEpochFactory;
import io.fatechat.core.internal.BoundedCache;
import io.fatechat.core.internal.Completions;
import io.fatechat.core.internal.TokenBucket;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ChatException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.support.ChatMessageJson;
import io.fatechat.spi.support.NamedThreads;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way out of this node: de-duplicates client ids, applies the per-user message rate, assigns ids and
 * times, and publishes messages and events on the bus. A send's stage completes at the {@link AckPoint}: when
 * the bus has the message, or, with a {@link HistoryCommitter}, once the history store has committed it
 * (it is published for live delivery right after that commit).
 */
final class Outbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final int CLIENT_ID_WINDOW = 65_536;
    /**
     * With {@link AckPoint#BUS}, how long a send waits for the history's answer about a client id it has not
     * seen: a database that hangs must not hold acks that only need the bus. Past it the send goes as new, as it
     * does when the history fails (the stores keep the first message of a client id).
     */
    static final long HISTORY_LOOKUP_BUDGET_MILLIS = 250;
    /** After a lookup failed or ran out of time, sends skip the history this long before trying it again. */
    static final long HISTORY_LOOKUP_BACKOFF_MILLIS = 5_000;
    /** Lookups that may hang at once on a hung database; beyond them sends skip the history. */
    private static final int HISTORY_LOOKUP_THREADS = 4;

    private final EngineContext context;
    private final MessageBus bus;
    private final HistoryStore history;
    private final TimeOrderedEpochFactory ids;
    /** sender + scoped clientId -> the message sent or seen with it: de-duplicates re-sends and their broadcasts. */
    private final BoundedCache<String, ClientIdEntry> clientIds = new BoundedCache<>(CLIENT_ID_WINDOW);
    /** Per user on this node; full (idle) buckets are swept away periodically, so the map stays small. */
    private final Map<String, TokenBucket> messageBuckets = new ConcurrentHashMap<>();

    /** Null for {@link AckPoint#BUS}. */
    private final HistoryCommitter committer;
    /** With {@link AckPoint#BUS}, runs client-id lookups so that a send waits for them only so long; else null. */
    private final ThreadPoolExecutor lookups;
    /** Until when (clock millis) sends skip the history lookup, after one failed or ran out of time. */
    private volatile long skipLookupsUntil;

    private volatile Consumer<List<ChatMessage>> committedRecorder = batch -> {};

    /**
     * @param groupCommit null to ack when the bus has a message, else how to commit it to history first
     * @param countInterval with a group commit, how often at most the committed batches are counted
     */
    Outbox(
            EngineContext context,
            MessageBus bus,
            HistoryStore history,
            GroupCommit groupCommit,
            Duration countInterval) {
        this.context = context;
        this.bus = bus;
        this.history = history;
        this.ids = TimeOrderedEpochFactory.builder()
                .withClock(context.clock())
                .withIncrementPlus1()
                .build();
        this.committer = groupCommit == null
                ? null
                : new HistoryCommitter(
                        context.nodeId(),
                        history,
                        batch -> committedRecorder.accept(batch),
                        this::publishCommitted,
                        groupCommit.delay(),
                        groupCommit.maxBatch(),
                        groupCommit.queueCapacity(),
                        countInterval);
        this.lookups = groupCommit != null
                ? null
                : new ThreadPoolExecutor(
                        0,
                        HISTORY_LOOKUP_THREADS,
                        30,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        NamedThreads.factory("fatechat-history-lookup-" + context.nodeId()));
    }

    /**
     * With {@link AckPoint#HISTORY}, what to do with each batch right after its commit (the persister's job on a
     * durable bus): set once while the engine is built.
     */
    void recordCommitted(Consumer<List<ChatMessage>> recorder) {
        this.committedRecorder = recorder;
    }

    /** Validated and authorized: assign id and time, publish, complete at the ack point. */
    CompletionStage<SendReceipt> send(String sender, ConversationId conversation, String text, String rawClientId) {
        String clientId = rawClientId == null ? null : scopedClientId(conversation, rawClientId);
        String key = clientId == null ? null : sender + '\n' + clientId;
        ClientIdEntry known = key == null ? null : clientIds.get(key);
        if (known != null && known.unsettled() == null) {
            return known.duplicateReceipt();
        }
        ChatLimits limits = context.limits();
        TokenBucket bucket = messageBuckets.computeIfAbsent(
                sender,
                s -> new TokenBucket(
                        limits.messagesPerSecond(),
                        limits.messageBurst(),
                        context.clock().millis()));
        if (!bucket.tryAcquire(context.clock().millis())) {
            throw new RateLimitedException(
                    "messagesPerSecond",
                    "too many messages: at most "
                            + limits.messagesPerSecond() + " per second (bursts of " + limits.messageBurst()
                            + "); try again shortly");
        }
        ChatMessage message;
        ClientIdEntry entry;
        if (known != null) {
            // A re-send after a failed attempt. That attempt may still land (a Kafka send that timed out can reach
            // the broker later), so the re-send is the same message with the same id: whichever copy lands first
            // is the one the ack names, and the stores and deliveries keep only that one.
            message = known.unsettled();
            entry = known.resending();
            if (!clientIds.replace(key, known, entry)) {
                ClientIdEntry current = clientIds.get(key);
                if (current != null && current.unsettled() == null) {
                    return current.duplicateReceipt();
                }
                throw new BackendUnavailableException(
                        "message bus", "another re-send of this client id is under way; try again shortly", null);
            }
        } else {
            if (key != null) {
                Optional<ChatMessage> stored = findStored(sender, clientId);
                if (stored.isPresent()) {
                    ClientIdEntry storedEntry = ClientIdEntry.stored(stored.get());
                    ClientIdEntry raced = clientIds.putIfAbsent(key, storedEntry);
                    return (raced != null ? raced : storedEntry).duplicateReceipt();
                }
            }
            message = new ChatMessage(newId(), conversation, sender, text, false, context.now(), clientId);
            entry = ClientIdEntry.sending(message);
            if (key != null) {
                ClientIdEntry raced = clientIds.putIfAbsent(key, entry);
                if (raced != null) {
                    return raced.duplicateReceipt();
                }
            }
        }
        dispatch(message).whenComplete((ignored, failure) -> {
            if (failure == null) {
                context.metrics().messageSent();
                entry.receipt.complete(new SendReceipt(message.id(), message.createdAt(), false));
            } else {
                if (key != null) {
                    // Kept, not dropped: a re-send must reuse this id (see above).
                    clientIds.replace(key, entry, entry.failed(message));
                }
                ChatException error = asChatException(failure);
                context.metrics().requestRefused(error.code());
                entry.receipt.completeExceptionally(error);
            }
        });
        return entry.receipt.copy();
    }

    /** A join or leave event message; failures are logged, the room only misses a notice. */
    void sendEventMessage(String room, String user, String text) {
        ChatMessage message =
                new ChatMessage(newId(), ConversationId.room(room), user, text, true, context.now(), null);
        dispatch(message).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.warn("Could not send event message '{}' to room '{}'", text, room, Completions.unwrap(failure));
            }
        });
    }

    /** Publishes a record; a bus that throws or returns nothing yields a failed stage, never an exception. */
    CompletionStage<Void> publish(BusRecord record) {
        try {
            CompletionStage<Void> stage = bus.publish(record);
            return stage != null
                    ? stage
                    : CompletableFuture.failedFuture(new IllegalStateException("bus returned no completion"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Whether a delivered message is the first one this node sees with its sender and client id; false for a
     * re-send of a client id already shown here (sent through another node, or a second copy of one id), which
     * must be shown once.
     */
    boolean firstSighting(ChatMessage message) {
        if (message.clientId() == null) {
            return true;
        }
        ClientIdEntry known =
                clientIds.putIfAbsent(message.sender() + '\n' + message.clientId(), ClientIdEntry.shown(message));
        // The same id can arrive twice when a send failed ambiguously and its re-send went out as well.
        return known == null || known.id.equals(message.id()) && known.shown.compareAndSet(false, true);
    }

    /** Drops full (idle) rate buckets. */
    void sweepIdleBuckets() {
        long nowMillis = context.clock().millis();
        messageBuckets.values().removeIf(bucket -> bucket.isFull(nowMillis));
    }

    /**
     * A client's id as the engine keeps it: scoped to its conversation, so that an id reused in another
     * conversation is a new message there, never a duplicate of the first. Stores and the bus de-duplicate by
     * sender and this value; the suffix is fixed-length, so two different pairs never give one value.
     */
    static String scopedClientId(ConversationId conversation, String clientId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(conversation.key().getBytes(StandardCharsets.UTF_8));
            return clientId + '#' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    private String newId() {
        return ids.create().toString();
    }

    private Optional<ChatMessage> findStored(String sender, String clientId) {
        if (lookups == null) {
            // AckPoint.HISTORY: the ack waits for the history store anyway.
            try {
                return history.findByClientId(sender, clientId);
            } catch (RuntimeException e) {
                // History being down must delay history, never sending; the stores de-duplicate anyway.
                log.warn("Could not look up client id of {} in history; sending as new", sender, e);
                return Optional.empty();
            }
        }
        long now = context.clock().millis();
        if (now < skipLookupsUntil) {
            return Optional.empty();
        }
        CompletableFuture<Optional<ChatMessage>> lookup;
        try {
            lookup = CompletableFuture.supplyAsync(() -> history.findByClientId(sender, clientId), lookups);
        } catch (RejectedExecutionException e) {
            return Optional.empty(); // every lookup thread waits on the history already
        }
        try {
            return lookup.get(HISTORY_LOOKUP_BUDGET_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (now >= skipLookupsUntil) {
                log.warn(
                        "Could not look up client id of {} in history ({}); sending as new, and skipping history"
                                + " lookups for {} ms",
                        sender,
                        cause.toString(),
                        HISTORY_LOOKUP_BACKOFF_MILLIS);
            }
            skipLookupsUntil = now + HISTORY_LOOKUP_BACKOFF_MILLIS;
            return Optional.empty();
        }
    }

    /** Completes at the ack point. */
    private CompletionStage<Void> dispatch(ChatMessage message) {
        return committer == null ? publishMessage(message) : committer.commit(message);
    }

    /** After its commit: the message is safe, so a failed publish only costs live delivery, never the ack. */
    private void publishCommitted(ChatMessage message) {
        publishMessage(message).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.warn(
                        "Message {} is stored but could not be published for live delivery",
                        message.id(),
                        Completions.unwrap(failure));
            }
        });
    }

    /** Commits what is waiting for the history store (briefly) and stops its writer. */
    @Override
    public void close() {
        if (committer != null) {
            committer.close();
        }
        if (lookups != null) {
            lookups.shutdownNow();
        }
    }

    private CompletionStage<Void> publishMessage(ChatMessage message) {
        return publish(new BusRecord(BusTopic.MESSAGES, message.conversation().key(), ChatMessageJson.encode(message)));
    }

    private static ChatException asChatException(Throwable failure) {
        Throwable cause = Completions.unwrap(failure);
        if (cause instanceof ChatException chat) {
            return chat;
        }
        String reason = cause.getMessage() != null
                ? cause.getMessage()
                : cause.getClass().getSimpleName();
        return new BackendUnavailableException("message bus", reason, cause);
    }

    /**
     * A message sent or seen with a client id; {@code receipt} completes at the ack point. {@code shown} is shared
     * by every attempt of one id, so that a live delivery shows it once; {@code unsettled} is the message to re-send
     * after a failed attempt, else null.
     */
    private record ClientIdEntry(
            String id,
            Instant createdAt,
            CompletableFuture<SendReceipt> receipt,
            AtomicBoolean shown,
            ChatMessage unsettled) {

        /** Being sent from this node: not shown yet. */
        static ClientIdEntry sending(ChatMessage message) {
            return new ClientIdEntry(
                    message.id(), message.createdAt(), new CompletableFuture<>(), new AtomicBoolean(), null);
        }

        /** Found in history: settled; its live delivery, if it has not happened yet, is still to be shown. */
        static ClientIdEntry stored(ChatMessage message) {
            return new ClientIdEntry(message.id(), message.createdAt(), settled(message), new AtomicBoolean(), null);
        }

        /** Delivered to this node, and being shown now. */
        static ClientIdEntry shown(ChatMessage message) {
            return new ClientIdEntry(
                    message.id(), message.createdAt(), settled(message), new AtomicBoolean(true), null);
        }

        ClientIdEntry failed(ChatMessage message) {
            return new ClientIdEntry(id, createdAt, receipt, shown, message);
        }

        ClientIdEntry resending() {
            return new ClientIdEntry(id, createdAt, new CompletableFuture<>(), shown, null);
        }

        CompletionStage<SendReceipt> duplicateReceipt() {
            return receipt.thenApply(r -> new SendReceipt(r.id(), r.createdAt(), true));
        }

        private static CompletableFuture<SendReceipt> settled(ChatMessage message) {
            return CompletableFuture.completedFuture(new SendReceipt(message.id(), message.createdAt(), false));
        }
    }
}
