package io.fatechat.core;

import com.github.f4b6a3.uuid.factory.standard.TimeOrderedEpochFactory;
import io.fatechat.core.internal.BusEvent;
import io.fatechat.core.internal.Completions;
import io.fatechat.core.internal.FieldRules;
import io.fatechat.core.internal.TokenBucket;
import io.fatechat.core.internal.WireCodec;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationCursor;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.NotMemberException;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.ReadMarker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversations: durable membership, read markers and unread counts, kept in the {@link ConversationStore} and
 * told to every node through the events topic.
 *
 * <ul>
 *   <li>Joining a room on any connection makes the user a member (with everything before the join read);
 *       leaving it ends the membership; closing a connection does not.</li>
 *   <li>The persister records each batch after storing it in history, then announces each conversation it
 *       touched; every node reads the unread counts of that conversation's members connected to it (found in
 *       {@link LocalMembers}, not by walking every connection), off the bus thread, the conversations recorded
 *       meanwhile together in one store read, and pushes them to their connections.</li>
 *   <li>Marking read moves the member's marker (never back) and announces it: every node tells the reader's
 *       connections the new unread count and the other members' connections who read what.</li>
 * </ul>
 */
final class Conversations implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Conversations.class);
    /** The most conversations one page holds. */
    static final int MAX_PAGE = 100;
    /** How far ahead of this node's clock a marker may be: clock skew between nodes, not the future. */
    private static final long MAX_MARKER_AHEAD_MILLIS = 60_000;
    /**
     * The shortest time between two drains of the pushes. A busy room changes its members' counts with every
     * committed batch (tens a second); pushing each would cost more socket writes than the messages themselves,
     * so a member hears the latest count at most this often, and the first change after a quiet spell at once.
     * At 250 ms the pushes were still 12% of the embedded server's samples at 2,000 msg/s over 100 rooms; a badge
     * a second behind is not noticed.
     */
    static final Duration UNREAD_PUSH_INTERVAL = Duration.ofSeconds(1);

    private final EngineContext context;
    private final ConversationStore store;
    private final Outbox outbox;
    private final RoomDirectory rooms;
    private final Delivery delivery;
    private final TimeOrderedEpochFactory ids;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    /** The members connected here of each room, kept as users arrive, leave, join and leave rooms. */
    private final LocalMembers localMembers;

    /** One drain is scheduled at a time ({@link #drainQueued}), so its queue never holds more than one. */
    private final ScheduledThreadPoolExecutor pusher;

    private final long pushIntervalNanos;
    /** When the last drain started (System.nanoTime); a drain due sooner than the interval after it waits. */
    private volatile long lastDrainNanos;
    /** Recorded conversations whose counts are still to be pushed; drained as a whole, in one store read. */
    private final Set<ConversationId> pushesPending = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean drainQueued = new AtomicBoolean();

    Conversations(
            EngineContext context,
            ConversationStore store,
            Outbox outbox,
            LocalConnections connections,
            RoomDirectory rooms,
            Delivery delivery,
            Duration pushInterval) {
        this.context = context;
        this.store = store;
        this.outbox = outbox;
        this.localMembers = new LocalMembers(store, connections);
        connections.onUserArrivedOrLeft(localMembers::userArrivedOrLeft);
        this.rooms = rooms;
        this.delivery = delivery;
        this.ids = TimeOrderedEpochFactory.builder()
                .withClock(context.clock())
                .withIncrementPlus1()
                .build();
        this.pushIntervalNanos = pushInterval.toNanos();
        this.lastDrainNanos = System.nanoTime() - pushIntervalNanos;
        this.pusher = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "fatechat-unread-" + context.nodeId());
            thread.setDaemon(true);
            return thread;
        });
    }

    // ---- membership, from the connections

    /** {@code user} joined {@code room} on some connection of this node: a member from now on. */
    void joined(String user, String room) {
        ConversationId conversation = ConversationId.room(room);
        try {
            store.join(user, conversation, ids.create().toString());
        } catch (RuntimeException e) {
            // Chat goes on without the durable membership; joining again once the store is back records it.
            log.warn("Could not record that {} joined '{}': {}", user, room, e.getMessage());
            return;
        }
        announce(new BusEvent.ConversationMembership(conversation.key(), user, true));
    }

    /** {@code user} left {@code room} on some connection of this node: no longer a member. */
    void left(String user, String room) {
        ConversationId conversation = ConversationId.room(room);
        try {
            store.leave(user, conversation);
        } catch (RuntimeException e) {
            log.warn("Could not record that {} left '{}': {}", user, room, e.getMessage());
            return;
        }
        announce(new BusEvent.ConversationMembership(conversation.key(), user, false));
    }

    /** The persister stored {@code messages}: count them, then tell every node whose counts changed. */
    void record(List<ChatMessage> messages) {
        store.record(messages);
        Set<ConversationId> touched = new LinkedHashSet<>();
        for (ChatMessage message : messages) {
            if (!message.event()) {
                touched.add(message.conversation());
            }
        }
        for (ConversationId conversation : touched) {
            announce(new BusEvent.ConversationRecorded(conversation.key()));
        }
    }

    // ---- requests

    ConversationPage page(String user, String after, int limit) {
        String me = FieldRules.email("user", user);
        ConversationCursor cursor = after == null || after.isEmpty() ? null : ConversationCursor.decode("after", after);
        int size = Math.max(1, Math.min(limit, MAX_PAGE));
        throttle(me);
        List<Conversation> found = store.list(me, cursor, size + 1);
        if (found.size() <= size) {
            return new ConversationPage(found, null);
        }
        List<Conversation> page = found.subList(0, size);
        return new ConversationPage(page, page.get(size - 1).cursor().encode());
    }

    /** The conversation a socket request names: exactly one of a room name and another user. */
    ConversationId named(String user, String roomName, String with) {
        String me = FieldRules.email("user", user);
        if ((roomName == null) == (with == null)) {
            throw new InvalidInputException("roomName", "give either roomName or with (the other user's e-mail)");
        }
        if (roomName != null) {
            String name =
                    FieldRules.roomName("roomName", roomName, context.limits().maxRoomNameLength());
            return rooms.byName(name).conversation();
        }
        return ConversationId.direct(me, FieldRules.email("with", with));
    }

    /** The conversation a REST path names by its id (the key a conversation list carries). */
    ConversationId byId(String user, String id) {
        String me = FieldRules.email("user", user);
        ConversationId conversation;
        try {
            if (id == null || id.isEmpty()) {
                throw new InvalidInputException("id", "is required");
            }
            conversation = new ConversationId(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("id", "is not a conversation id");
        }
        if (conversation.isRoom()) {
            String name = FieldRules.roomName(
                    "id", conversation.roomName(), context.limits().maxRoomNameLength());
            return rooms.byName(name).conversation();
        }
        if (!conversation.hasMember(me)) {
            throw new NotMemberException(me, conversation);
        }
        return conversation;
    }

    Conversation markRead(String user, ConversationId conversation, String messageId) {
        String me = FieldRules.email("user", user);
        String id = markerId(messageId);
        throttle(me);
        Conversation view = store.markRead(me, conversation, id);
        if (id.equals(view.readMessageId())) {
            announce(new BusEvent.ConversationRead(conversation.key(), me, id, view.unreadCount()));
        }
        return view;
    }

    /** Who has read {@code conversation} how far, furthest first; only for its members. */
    List<ReadMarker> readMarkers(String user, ConversationId conversation) {
        String me = FieldRules.email("user", user);
        throttle(me);
        if (store.find(me, conversation).isEmpty()) {
            throw new NotMemberException(me, conversation);
        }
        return store.readMarkers(conversation, MAX_PAGE);
    }

    /** A message id to mark read up to: a UUIDv7 not from the future (beyond clock skew between nodes). */
    private String markerId(String messageId) {
        String id = FieldRules.messageId("messageId", messageId);
        if (id == null) {
            throw new InvalidInputException("messageId", "is required");
        }
        UUID uuid = UUID.fromString(id);
        if (uuid.version() != 7) {
            throw new InvalidInputException("messageId", "is not a message id");
        }
        long millis = uuid.getMostSignificantBits() >>> 16;
        if (millis > context.clock().millis() + MAX_MARKER_AHEAD_MILLIS) {
            throw new InvalidInputException("messageId", "is newer than any message");
        }
        return id;
    }

    private void throttle(String user) {
        ChatLimits limits = context.limits();
        TokenBucket bucket = buckets.computeIfAbsent(
                user,
                u -> new TokenBucket(
                        limits.messagesPerSecond(),
                        limits.messageBurst(),
                        context.clock().millis()));
        if (!bucket.tryAcquire(context.clock().millis())) {
            throw new RateLimitedException(
                    "messagesPerSecond",
                    "too many conversation requests: at most " + limits.messagesPerSecond()
                            + " per second; try again shortly");
        }
    }

    void sweepIdleBuckets() {
        long now = context.clock().millis();
        buckets.values().removeIf(bucket -> bucket.isFull(now));
    }

    // ---- events from the bus (bus threads: nothing here may block)

    void onEvent(BusEvent event) {
        if (event instanceof BusEvent.ConversationRead read) {
            ConversationId conversation = new ConversationId(read.room());
            delivery.forEachSink(sink -> sink.messageRead(conversation, read.user(), read.messageId()));
            delivery.forEachSink(
                    sink -> sink.unreadCount(read.user(), conversation, read.unreadCount(), read.messageId()));
        } else if (event instanceof BusEvent.ConversationMembership membership) {
            localMembers.membershipChanged(
                    membership.user(), new ConversationId(membership.room()), membership.member());
        } else if (event instanceof BusEvent.ConversationRecorded recorded) {
            schedulePush(new ConversationId(recorded.room()));
        }
    }

    /**
     * Pushes, off the bus thread, the unread counts of the conversation's members connected here; the
     * conversations recorded meanwhile, and within {@link #UNREAD_PUSH_INTERVAL} of the last push, are pushed
     * together.
     */
    private void schedulePush(ConversationId conversation) {
        if (context.isClosed() || !delivery.hasSinks()) {
            return;
        }
        pushesPending.add(conversation);
        if (!drainQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            long wait = lastDrainNanos + pushIntervalNanos - System.nanoTime();
            pusher.schedule(this::pushUnreadCounts, Math.max(0, wait), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            drainQueued.set(false);
            log.debug("Unread push queue closed; dropping the pushes of {} conversations", pushesPending.size());
        }
    }

    /**
     * One drain: the members connected here of every pending conversation, their counts in one store read,
     * pushed to their connections. Costs the members connected here, not every connection of the node.
     */
    private void pushUnreadCounts() {
        lastDrainNanos = System.nanoTime();
        // Cleared before reading: a recording announced during the read queues another drain.
        drainQueued.set(false);
        List<ConversationId> due = new ArrayList<>(pushesPending.size());
        for (Iterator<ConversationId> it = pushesPending.iterator(); it.hasNext(); ) {
            due.add(it.next());
            it.remove();
        }
        try {
            localMembers.loadArrivals();
        } catch (RuntimeException e) {
            // those users' rooms are read again on the next drain; the others' counts still go out
            log.debug("Could not read the rooms of users connected here", e);
        }
        Map<ConversationId, List<String>> asked = new LinkedHashMap<>();
        for (ConversationId conversation : due) {
            List<String> here = localMembers.membersHere(conversation);
            if (!here.isEmpty()) {
                asked.put(conversation, here);
            }
        }
        if (asked.isEmpty()) {
            return;
        }
        Map<ConversationId, Map<String, Conversation>> views;
        try {
            views = store.findAll(asked);
        } catch (RuntimeException e) {
            log.debug("Could not read the unread counts of {} conversations", asked.size(), e);
            return;
        }
        asked.forEach((conversation, users) -> {
            Map<String, Conversation> found = views.getOrDefault(conversation, Map.of());
            for (String user : users) {
                Conversation view = found.get(user);
                if (view != null) {
                    delivery.forEachSink(
                            sink -> sink.unreadCount(user, conversation, view.unreadCount(), view.readMessageId()));
                }
            }
        });
    }

    private void announce(BusEvent event) {
        outbox.publish(new BusRecord(BusTopic.EVENTS, event.room(), WireCodec.encodeEvent(event)))
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        log.warn(
                                "Could not announce {}: {}",
                                event,
                                Completions.unwrap(failure).toString());
                    }
                });
    }

    @Override
    public void close() {
        pusher.shutdownNow();
    }
}
