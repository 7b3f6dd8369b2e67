package io.fatechat.core;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationCursor;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.RecoverySession;
import io.fatechat.spi.RecoverySessionStore;
import io.fatechat.spi.UnknownRoomException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket.IO connection state recovery for {@link ChatEngine}: hands out pids, keeps each live connection's session
 * (user, rooms, start offset) in the {@link RecoverySessionStore} where every node reads it, and restores a session
 * on any node: its rooms joined again, and what the client missed read from durable history after its offset.
 *
 * <p>Offsets are message ids (UUIDv7, ordered by time). A session's start offset and each room's join offset are
 * the smallest id of their millisecond, so a replay never reaches back before the connection existed or before it
 * joined the room.
 */
final class SessionRecovery implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionRecovery.class);
    private static final Pattern OFFSET =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    /** How far back of an offset a private conversation's activity may lie and still hold newer messages (clock skew). */
    private static final Duration ACTIVITY_SKEW = Duration.ofMinutes(1);

    private static final int CONVERSATION_PAGE = 100;

    private final EngineContext context;
    private final RecoveryOptions options;
    private final RecoverySessionStore store;
    private final RecoverySessionWriter writer;
    private final HistoryStore history;
    private final ConversationStore conversations;
    private final ScheduledExecutorService scheduler;
    private final BiFunction<String, String, LocalConnection> opener;
    private final SecureRandom random = new SecureRandom();
    private final Duration refreshPeriod;
    /** Sessions of this node's open sockets, by pid: their records are kept from expiring. */
    private final Map<String, Session> live = new ConcurrentHashMap<>();
    /** Connections of dropped sockets within their presence grace, by pid. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    SessionRecovery(
            EngineContext context,
            RecoveryOptions options,
            RecoverySessionStore store,
            HistoryStore history,
            ConversationStore conversations,
            ScheduledExecutorService scheduler,
            BiFunction<String, String, LocalConnection> opener) {
        this.context = context;
        this.options = options;
        this.store = store;
        this.writer = new RecoverySessionWriter(
                store, context.nodeId(), options.enabled(), RecoverySessionWriter.MAX_WAITING);
        this.history = history;
        this.conversations = conversations;
        this.scheduler = scheduler;
        this.opener = opener;
        long quarter = options.window().toMillis() / 4;
        this.refreshPeriod = Duration.ofMillis(Math.max(500, Math.min(quarter, 30_000)));
        if (options.enabled()) {
            long period = refreshPeriod.toMillis();
            scheduler.scheduleWithFixedDelay(this::refresh, period, period, TimeUnit.MILLISECONDS);
        }
    }

    boolean enabled() {
        return options.enabled();
    }

    /** Decides the CONNECT answer's pid: the client's own when its session is found, theirs, and not expired. */
    RecoveryClaim claim(String user, String pid, String offset) {
        if (!options.enabled()) {
            return new RecoveryClaim(user, null, null, null, null);
        }
        if (pid != null && !pid.isEmpty()) {
            Optional<RecoverySession> taken;
            try {
                writer.settle(pid);
                taken = store.take(pid, context.now());
            } catch (RuntimeException e) {
                log.warn(
                        "Could not read recovery session {}; the client gets a fresh session ({})",
                        pid,
                        e.getMessage());
                taken = Optional.empty();
            }
            if (taken.isPresent()) {
                RecoverySession session = taken.get();
                if (session.user().equalsIgnoreCase(user)) {
                    String clientOffset =
                            offset != null && OFFSET.matcher(offset).matches() ? offset : null;
                    // read now, before the answer promises recovery: too much missed or history unreadable is a
                    // fresh session (the session is spent either way; the client starts over)
                    List<ChatMessage> missed = missed(user, session.rooms(), start(session, clientOffset));
                    if (missed != null) {
                        return new RecoveryClaim(user, pid, session, clientOffset, missed);
                    }
                    return new RecoveryClaim(user, newPid(), null, null, null);
                }
                // someone else's pid: put it back for its owner, and treat this client as new
                log.info("Recovery pid of another user presented by {}; refused", user);
                saveQuietly(session);
            }
        }
        return new RecoveryClaim(user, newPid(), null, null, null);
    }

    /** Opens the socket's connection: restores the claimed session or starts a fresh one. */
    RecoverableSession open(RecoveryClaim claim, String connectionId, Consumer<String> beforeAnnounce) {
        if (!options.enabled() || claim.pid() == null) {
            return new Session(
                    null,
                    opener.apply(claim.user(), connectionId),
                    floorId(context.now()),
                    Map.of(),
                    false,
                    List.of(),
                    null);
        }
        RecoverySession previous = claim.session();
        if (previous == null) {
            String start = floorId(context.now());
            Session fresh = new Session(
                    claim.pid(), opener.apply(claim.user(), connectionId), start, Map.of(), false, List.of(), start);
            fresh.register();
            return fresh;
        }
        return restore(claim, previous, connectionId, beforeAnnounce);
    }

    private RecoverableSession restore(
            RecoveryClaim claim, RecoverySession previous, String connectionId, Consumer<String> beforeAnnounce) {
        // A connection still held within its presence grace (on this node) keeps the user online in the rooms
        // while the new one joins them, so the rooms see neither a leave nor a join; it closes once replaced.
        Held within = held.remove(claim.pid());
        LocalConnection connection = opener.apply(claim.user(), connectionId);
        boolean rejoined = true;
        Map<String, String> rooms = new LinkedHashMap<>();
        for (Map.Entry<String, String> room : previous.rooms().entrySet()) {
            try {
                // not against the join rate: the server restores what the client joined (see restoreRoom)
                rooms.put(connection.restoreRoom(room.getKey(), beforeAnnounce), room.getValue());
            } catch (UnknownRoomException e) {
                log.debug("Room '{}' of recovered session {} is gone", room.getKey(), claim.pid());
            } catch (RateLimitedException e) {
                rejoined = false;
                break;
            }
        }
        if (within != null && within.timer.cancel(false)) {
            within.session.connection.close();
        }
        // read again after rejoining: what is published from here on arrives live, what came before is in history
        String start = start(previous, claim.clientOffset());
        List<ChatMessage> replay = missed(claim.user(), rooms, start);
        boolean complete = replay != null;
        if (!complete) {
            // grew past the maximum or unreadable since the claim: sending what the claim read would leave a gap
            // before the live events, so nothing is replayed and the transport ends the socket
            replay = List.of();
        }
        if (!rejoined) {
            log.warn(
                    "Recovered session {} of {} could not rejoin all its rooms (more than a connection may be in)",
                    claim.pid(),
                    claim.user());
        }
        String offset = replay.isEmpty() ? start : replay.get(replay.size() - 1).id();
        Session session = new Session(claim.pid(), connection, previous.offset(), rooms, true, replay, offset);
        session.complete = complete;
        session.replayFrom = start;
        session.register();
        log.debug(
                "Recovered session {} of {}: {} rooms, {} missed messages",
                claim.pid(),
                claim.user(),
                rooms.size(),
                replay.size());
        return session;
    }

    private static String start(RecoverySession session, String clientOffset) {
        return clientOffset != null && clientOffset.compareTo(session.offset()) > 0 ? clientOffset : session.offset();
    }

    /** The messages after {@code start} the user's rooms and private conversations got, oldest first; null past the maximum. */
    private List<ChatMessage> missed(String user, Map<String, String> rooms, String start) {
        int max = options.maxReplay();
        TreeMap<String, ChatMessage> byId = new TreeMap<>();
        try {
            for (Map.Entry<String, String> room : rooms.entrySet()) {
                String from = room.getValue().compareTo(start) > 0 ? room.getValue() : start;
                history.after(ConversationId.room(room.getKey()), from, max + 1).forEach(m -> byId.put(m.id(), m));
                if (byId.size() > max) {
                    return null;
                }
            }
            Instant since = Instant.ofEpochMilli(millisOf(start)).minus(ACTIVITY_SKEW);
            ConversationCursor cursor = null;
            while (true) {
                List<Conversation> page = conversations.list(user.toLowerCase(Locale.ROOT), cursor, CONVERSATION_PAGE);
                for (Conversation conversation : page) {
                    if (conversation.activityAt().isBefore(since)) {
                        return List.copyOf(byId.values());
                    }
                    if (conversation.id().isDirect()) {
                        history.after(conversation.id(), start, max + 1).forEach(m -> byId.put(m.id(), m));
                        if (byId.size() > max) {
                            return null;
                        }
                    }
                }
                if (page.size() < CONVERSATION_PAGE) {
                    return List.copyOf(byId.values());
                }
                cursor = page.get(page.size() - 1).cursor();
            }
        } catch (RuntimeException e) {
            log.warn("Could not read what a recovering client of {} missed; it gets a fresh session", user, e);
            return null;
        }
    }

    /** Keeps the records of this node's open sockets from expiring; drops expired records of stores that keep them. */
    private void refresh() {
        try {
            if (!live.isEmpty()) {
                store.extend(List.copyOf(live.keySet()), liveExpiry());
            }
            store.purgeExpired(context.now());
        } catch (RuntimeException e) {
            log.warn("Could not refresh recovery sessions ({})", e.getMessage());
        }
    }

    private Instant liveExpiry() {
        return context.now().plus(options.window()).plus(refreshPeriod.multipliedBy(2));
    }

    /** Saves before returning: for records another node may have to take next (a dropped socket's, one put back). */
    private void saveQuietly(RecoverySession session) {
        try {
            writer.saveNow(session);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not save recovery session {}; the client may get a fresh session after a drop ({})",
                    session.pid(),
                    e.getMessage());
        }
    }

    private String newPid() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The smallest UUIDv7 of the instant's millisecond: every message id of a later millisecond sorts after it. */
    static String floorId(Instant instant) {
        // not String.format: this runs on every connect and join, and the formatter was 7% of a connect's time
        String hex = Long.toHexString(instant.toEpochMilli());
        String millis = hex.length() >= 12 ? hex : "000000000000".substring(hex.length()) + hex;
        return millis.substring(0, 8) + "-" + millis.substring(8) + "-7000-8000-000000000000";
    }

    static long millisOf(String id) {
        return Long.parseLong(id.substring(0, 8) + id.substring(9, 13), 16);
    }

    @Override
    public void close() {
        writer.close();
        for (Held h : held.values()) {
            h.timer.cancel(false);
        }
        held.clear();
        live.clear();
    }

    private record Held(Session session, ScheduledFuture<?> timer) {}

    private final class Session implements RecoverableSession {
        private final String pid;
        private final ChatConnection connection;
        private final String start;
        private final Map<String, String> rooms;
        private final boolean recovered;
        private final List<ChatMessage> replay;
        private final String offset;
        private boolean complete = true;
        private String replayFrom;

        Session(
                String pid,
                ChatConnection connection,
                String start,
                Map<String, String> rooms,
                boolean recovered,
                List<ChatMessage> replay,
                String offset) {
            this.pid = pid;
            this.connection = connection;
            this.start = start;
            this.rooms = new LinkedHashMap<>(rooms);
            this.recovered = recovered;
            this.replay = replay;
            this.offset = offset != null ? offset : start;
        }

        void register() {
            live.put(pid, this);
            saveLater();
        }

        /**
         * A new connection's record, written behind the socket: should this node die before it lands, the client
         * is told on reconnecting that it was not recovered, and resynchronizes.
         */
        private void saveLater() {
            writer.save(record(liveExpiry()));
        }

        /** After a join or leave was answered, the record says so, even if this node dies the next moment. */
        private void saveRooms() {
            saveQuietly(record(liveExpiry()));
        }

        private RecoverySession record(Instant expiresAt) {
            synchronized (rooms) {
                return new RecoverySession(pid, connection.user(), rooms, start, expiresAt);
            }
        }

        @Override
        public String pid() {
            return pid;
        }

        @Override
        public boolean recovered() {
            return recovered;
        }

        @Override
        public ChatConnection connection() {
            return connection;
        }

        @Override
        public List<ChatMessage> replay() {
            return replay;
        }

        @Override
        public String offset() {
            return offset;
        }

        @Override
        public String replayFrom() {
            return replayFrom != null ? replayFrom : start;
        }

        @Override
        public boolean replayComplete() {
            return complete;
        }

        @Override
        public void joined(String room) {
            if (pid == null) {
                return;
            }
            synchronized (rooms) {
                if (rooms.putIfAbsent(room, floorId(context.now())) != null) {
                    return;
                }
            }
            saveRooms();
        }

        @Override
        public void left(String room) {
            if (pid == null) {
                return;
            }
            synchronized (rooms) {
                if (rooms.remove(room) == null) {
                    return;
                }
            }
            saveRooms();
        }

        @Override
        public void suspend() {
            if (pid == null || context.isClosed() || !live.remove(pid, this)) {
                connection.close();
                return;
            }
            saveQuietly(record(context.now().plus(options.window())));
            if (options.presenceGrace().isZero()) {
                connection.close();
                return;
            }
            Runnable closeAfterGrace = () -> {
                Held h = held.get(pid);
                if (h != null && h.session == this) {
                    held.remove(pid, h);
                }
                connection.close();
            };
            try {
                ScheduledFuture<?> timer = scheduler.schedule(
                        closeAfterGrace, options.presenceGrace().toMillis(), TimeUnit.MILLISECONDS);
                held.put(pid, new Held(this, timer));
            } catch (RuntimeException e) {
                connection.close(); // the engine is shutting down
            }
        }

        @Override
        public void end() {
            if (pid != null) {
                live.remove(pid, this);
                writer.remove(pid);
            }
            connection.close();
        }
    }
}
