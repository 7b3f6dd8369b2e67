package io.fatechat.core;

import io.fatechat.core.internal.BusEvent;
import io.fatechat.core.internal.Completions;
import io.fatechat.core.internal.FieldRules;
import io.fatechat.core.internal.TokenBucket;
import io.fatechat.core.internal.WireCodec;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.NotInRoomException;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.Room;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link ChatConnection} of this node: the rooms it joined, its presence entries, its typing rate. */
final class LocalConnection implements ChatConnection {

    private static final Logger log = LoggerFactory.getLogger(LocalConnection.class);

    private final String id;
    private final String user;
    private final EngineContext context;
    private final LocalConnections connections;
    private final RoomDirectory rooms;
    private final Accounts accounts;
    private final Outbox outbox;
    private final PresenceKeeper keeper;
    private final PresenceStore presence;
    private final HistoryStore history;
    private final ActionLimiter limiter;
    private final Conversations conversations;
    private final Object lock = new Object();
    /** room key (lower case) -> canonical name; guarded by {@link #lock}. */
    private final Map<String, String> joined = new LinkedHashMap<>();
    /** Typing indicators beyond the message rate are dropped silently: they are only hints. */
    private final TokenBucket typingBucket;
    /** Refusals over a rate this connection may still make before it is cut off. */
    private final TokenBucket violations;

    private boolean closed;

    LocalConnection(
            String id,
            String user,
            EngineContext context,
            LocalConnections connections,
            RoomDirectory rooms,
            Accounts accounts,
            Outbox outbox,
            PresenceKeeper keeper,
            PresenceStore presence,
            HistoryStore history,
            ActionLimiter limiter,
            Conversations conversations) {
        this.id = id;
        this.user = user;
        this.context = context;
        this.connections = connections;
        this.rooms = rooms;
        this.accounts = accounts;
        this.outbox = outbox;
        this.keeper = keeper;
        this.presence = presence;
        this.history = history;
        this.limiter = limiter;
        this.violations = limiter.newViolationBucket();
        this.conversations = conversations;
        ChatLimits limits = context.limits();
        this.typingBucket = new TokenBucket(
                limits.messagesPerSecond(),
                limits.messageBurst(),
                context.clock().millis());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public Set<String> rooms() {
        synchronized (lock) {
            return Set.copyOf(joined.values());
        }
    }

    @Override
    public String joinRoom(String roomName) {
        return joinRoom(roomName, room -> {});
    }

    @Override
    public String joinRoom(String roomName, Consumer<String> beforeAnnounce) {
        Objects.requireNonNull(beforeAnnounce, "beforeAnnounce");
        return context.guard(() -> counted(() -> join(roomName, beforeAnnounce, true)));
    }

    /**
     * Joins a room of a recovered session again: like {@link #joinRoom(String, Consumer)}, but not against the
     * user's join rate, as it is the server restoring a membership the client already paid for, not the client
     * asking. It cannot be used to get past the rate: a session's rooms were each joined through the rate-limited
     * path, so a recovery restores memberships but never adds one; each recovery takes a new transport
     * connection, an authenticated handshake and the session's one-time pid (taken atomically, so one recovery
     * per drop); and a client that comes back within the presence grace changes no room's presence at all,
     * while past it the leave before each rejoin comes from the server's grace timer, so a flapping client
     * causes at most one leave and join per room of its session per presence grace. The cap of rooms per
     * connection still applies.
     */
    String restoreRoom(String roomName, Consumer<String> beforeAnnounce) {
        return context.guard(() -> join(roomName, beforeAnnounce, false));
    }

    private String join(String roomName, Consumer<String> beforeAnnounce, boolean rateLimited) {
        String name = roomName(roomName);
        context.ensureOpen();
        Room room = rooms.byName(name);
        String canonical = room.name();
        String key = FieldRules.roomKey(canonical);
        boolean wasOnline;
        synchronized (lock) {
            checkOpen();
            if (joined.containsKey(key)) {
                return canonical;
            }
            if (rateLimited) {
                checkActionRate();
            }
            int max = context.limits().maxRoomsPerConnection();
            if (joined.size() >= max) {
                throw new RateLimitedException(
                        "roomsPerConnection",
                        "a connection may be in at most " + max + " rooms at once; leave one first");
            }
            synchronized (keeper.joinStripe(canonical, user)) {
                // Under the stripe so that two tabs of one user joining at once announce one join.
                wasOnline = false;
                try {
                    // One round trip: the store says whether the user was online here before.
                    wasOnline = presence.join(context.nodeId(), id, user, canonical);
                } catch (BackendUnavailableException e) {
                    // Presence degrades, chat goes on: maintenance writes this entry once it is back.
                    log.warn(
                            "Presence unavailable while connection {} joins '{}': joining without it ({})",
                            id,
                            canonical,
                            e.getMessage());
                    keeper.needsRepair(id);
                }
            }
            joined.put(key, canonical);
        }
        try {
            beforeAnnounce.accept(canonical);
        } catch (RuntimeException e) {
            log.warn("beforeAnnounce callback of connection {} failed", id, e);
        }
        conversations.joined(user, canonical);
        keeper.announceJoin(canonical, user, wasOnline);
        return canonical;
    }

    @Override
    public String leave(String roomName) {
        return context.guard(() -> counted(() -> {
            String name = roomName(roomName);
            context.ensureOpen();
            String canonical;
            synchronized (lock) {
                checkOpen();
                if (joined.containsKey(FieldRules.roomKey(name))) {
                    checkActionRate();
                }
                canonical = joined.remove(FieldRules.roomKey(name));
                if (canonical != null) {
                    try {
                        presence.leave(id, canonical);
                    } catch (BackendUnavailableException e) {
                        log.warn(
                                "Presence unavailable while connection {} leaves '{}': repaired later ({})",
                                id,
                                canonical,
                                e.getMessage());
                        keeper.needsRepair(id);
                    }
                }
            }
            if (canonical == null) {
                // an unknown room is an error; a known one not joined here ends only the durable membership
                String known = rooms.byName(name).name();
                conversations.left(user, known);
                return known;
            }
            conversations.left(user, canonical);
            keeper.announceLeave(canonical, user);
            return canonical;
        }));
    }

    @Override
    public CompletionStage<SendReceipt> sendMessage(String roomName, String text, String clientId) {
        return context.guard(() -> {
            String name = roomName(roomName);
            String message =
                    FieldRules.messageText("message", text, context.limits().maxMessageLength());
            String client = FieldRules.clientId("clientId", clientId);
            context.ensureOpen();
            String canonical = joinedRoom(name);
            return counted(() -> outbox.send(user, ConversationId.room(canonical), message, client));
        });
    }

    @Override
    public CompletionStage<SendReceipt> sendPrivateMessage(String toUser, String text, String clientId) {
        return context.guard(() -> {
            String to = FieldRules.email("to", toUser);
            String message =
                    FieldRules.messageText("message", text, context.limits().maxMessageLength());
            String client = FieldRules.clientId("clientId", clientId);
            context.ensureOpen();
            checkOpenUnlocked();
            accounts.ensureExists(to);
            return counted(() -> outbox.send(user, ConversationId.direct(user, to), message, client));
        });
    }

    @Override
    public List<ChatMessage> recentMessages(String roomName, int count) {
        return context.guard(() -> {
            String name = roomName(roomName);
            context.ensureOpen();
            checkOpenUnlocked();
            return history.recent(rooms.byName(name).conversation(), context.clampCount(count));
        });
    }

    @Override
    public OnlineUsers onlineUsersIn(String roomName) {
        return context.guard(() -> {
            String name = roomName(roomName);
            context.ensureOpen();
            checkOpenUnlocked();
            String canonical = rooms.byName(name).name();
            return new OnlineUsers(canonical, presence.onlineUsers(canonical));
        });
    }

    @Override
    public void typing(String roomName) {
        context.guardRun(() -> {
            String name = roomName(roomName);
            context.ensureOpen();
            String canonical = joinedRoom(name);
            if (!typingBucket.tryAcquire(context.clock().millis()) || !limiter.tryAction(user)) {
                // typing indicators are hints: over the rate they are dropped silently, but still count
                limiter.violation(this, violations);
                return;
            }
            byte[] payload = WireCodec.encodeEvent(new BusEvent.Typing(canonical, user, id));
            outbox.publish(new BusRecord(
                            BusTopic.EVENTS, ConversationId.room(canonical).key(), payload))
                    .whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            log.debug(
                                    "Could not publish typing of {} in '{}'",
                                    user,
                                    canonical,
                                    Completions.unwrap(failure));
                        }
                    });
        });
    }

    @Override
    public void close() {
        Map<String, String> left;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            left = new LinkedHashMap<>(joined);
            joined.clear();
        }
        connections.remove(this);
        if (left.isEmpty() || context.isClosed()) {
            return;
        }
        try {
            presence.leaveAll(id);
        } catch (RuntimeException e) {
            log.warn("Could not remove the presence of connection {}; will retry", id, e);
            keeper.needsRepair(id);
            return;
        }
        for (String room : left.values()) {
            keeper.announceLeave(room, user);
        }
    }

    /** Engine shutdown: no announcements, the node's presence is removed as a whole. */
    void markClosed() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            joined.clear();
        }
        connections.remove(this);
    }

    /**
     * Makes the store hold exactly the rooms this connection is in now (none once it is closed). Under the
     * connection's lock, so no join or leave of it interleaves. Returns the rooms whose presence may have changed.
     */
    Set<String> rewritePresence() {
        synchronized (lock) {
            Set<String> changed = new HashSet<>(presence.leaveAll(id));
            if (!closed) {
                for (String room : joined.values()) {
                    presence.join(context.nodeId(), id, user, room);
                    changed.add(room);
                }
            }
            return changed;
        }
    }

    /** Runs a request; a refusal over a rate counts against this connection's allowance. */
    private <T> T counted(Supplier<T> request) {
        try {
            return request.get();
        } catch (RateLimitedException e) {
            limiter.violation(this, violations);
            throw e;
        }
    }

    /** Caller holds {@link #lock}. */
    private void checkActionRate() {
        if (!limiter.tryAction(user)) {
            ChatLimits limits = context.limits();
            throw new RateLimitedException(
                    "actionsPerSecond",
                    "too many joins, leaves or typing indicators: at most " + limits.actionsPerSecond()
                            + " per second (bursts of " + limits.actionBurst() + ")");
        }
    }

    private String roomName(String roomName) {
        return FieldRules.roomName("roomName", roomName, context.limits().maxRoomNameLength());
    }

    /** The canonical name of a joined room; else UnknownRoomException or NotInRoomException. */
    private String joinedRoom(String normalizedName) {
        String canonical;
        synchronized (lock) {
            checkOpen();
            canonical = joined.get(FieldRules.roomKey(normalizedName));
        }
        if (canonical != null) {
            return canonical;
        }
        throw new NotInRoomException(rooms.byName(normalizedName).name());
    }

    /** Caller holds {@link #lock}. */
    private void checkOpen() {
        if (closed) {
            throw new ClosedException("connection");
        }
    }

    private void checkOpenUnlocked() {
        synchronized (lock) {
            checkOpen();
        }
    }

    @Override
    public String toString() {
        return "ChatConnection[" + id + ", " + user + "]";
    }
}
