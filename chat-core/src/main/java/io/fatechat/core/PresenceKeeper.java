package io.fatechat.core;

import io.fatechat.core.internal.BusEvent;
import io.fatechat.core.internal.Completions;
import io.fatechat.core.internal.WireCodec;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.PresenceStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the presence store true for this node and tells every node when a room's online users change:
 * announcements after joins and leaves, the node's lease, repair of entries a failed write left wrong, and
 * expiry of dead nodes' entries.
 */
final class PresenceKeeper {

    private static final Logger log = LoggerFactory.getLogger(PresenceKeeper.class);

    private final EngineContext context;
    private final PresenceStore presence;
    private final Outbox outbox;
    private final LocalConnections connections;
    private final Duration leaseTtl;
    private final Object[] roomStripes = new Object[64];
    private final Object[] joinStripes = new Object[64];
    /**
     * Connections whose presence the store may hold wrongly because a write failed (presence down): chat goes
     * on, and maintenance rewrites their entries from the connection's own state once the store answers.
     */
    private final Set<String> repairs = ConcurrentHashMap.newKeySet();
    /** Rooms whose join announcement is queued; at most one each, so the queue is bounded by the rooms. */
    private final Set<String> announcementsPending = ConcurrentHashMap.newKeySet();
    /**
     * Per room, the earliest {@code System.nanoTime} at which its next join announcement may be read: a room of N
     * users is announced at most once per N ms ({@link #announcementSpacingNanos}). Entries whose time has passed
     * are pruned when the map grows past {@link #SPACING_ENTRIES}.
     */
    private final Map<String, Long> nextAnnouncement = new ConcurrentHashMap<>();

    private final ScheduledThreadPoolExecutor announcer;

    PresenceKeeper(
            EngineContext context,
            PresenceStore presence,
            Outbox outbox,
            LocalConnections connections,
            Duration leaseTtl) {
        this.context = context;
        this.presence = presence;
        this.outbox = outbox;
        this.connections = connections;
        this.leaseTtl = leaseTtl;
        Arrays.setAll(roomStripes, i -> new Object());
        Arrays.setAll(joinStripes, i -> new Object());
        AtomicInteger threads = new AtomicInteger();
        // Two threads: announcements of different rooms overlap their store reads; one room's are ordered by
        // its stripe.
        this.announcer = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread =
                    new Thread(runnable, "fatechat-announcer-" + context.nodeId() + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Past this many rooms in {@link #nextAnnouncement}, the rooms whose spacing has passed are dropped. */
    private static final int SPACING_ENTRIES = 10_000;
    /** The longest spacing of one room's join announcements, whatever its size. */
    static final Duration MAX_ANNOUNCEMENT_SPACING = Duration.ofSeconds(1);

    /**
     * The least time between two join announcements of a room of {@code users} users by this node: 1 ms per
     * user, at most {@link #MAX_ANNOUNCEMENT_SPACING}. Each announcement sends the whole list to every member, so
     * without it a storm of joins into a room of 1,000 sent each member dozens of 20 KB lists a second, which
     * filled their outbound queues (issue 19); with it a member gets at most ~20 KB a second per node however
     * big the room, while a room of 10 still hears of a join within 10 ms.
     */
    static long announcementSpacingNanos(int users) {
        return Math.min(MAX_ANNOUNCEMENT_SPACING.toNanos(), users * 1_000_000L);
    }

    /** Stops announcing; queued join announcements are dropped (the engine is closing). */
    void close() {
        announcer.shutdownNow();
    }

    Duration leaseTtl() {
        return leaseTtl;
    }

    /** Takes the lease at start; a presence outage must not stop chat, maintenance retries. */
    void takeLease() {
        try {
            presence.renewLease(context.nodeId(), leaseTtl);
        } catch (RuntimeException e) {
            log.warn("Could not take the presence lease of node {} at start; will retry", context.nodeId(), e);
        }
    }

    /**
     * The lock that orders one user's joins of one room on this node (two tabs joining at once announce one
     * join). Per user and room, not per room: a room-wide lock made a storm of joins into one room wait for
     * each other's Redis round trips, one at a time per node.
     */
    Object joinStripe(String room, String user) {
        return joinStripes[((31 * room.hashCode() + user.hashCode()) & 0x7fffffff) % joinStripes.length];
    }

    /** The lock that orders this node's presence reads and announcements of {@code room}. */
    Object roomStripe(String room) {
        return roomStripes[(room.hashCode() & 0x7fffffff) % roomStripes.length];
    }

    /** A write of this connection's presence failed: maintenance rewrites it. */
    void needsRepair(String connectionId) {
        repairs.add(connectionId);
    }

    /**
     * After a join: a join event message if the user was not online in the room before, then the room's online
     * users, announced off the caller's thread and coalesced: joins of a room that arrive while its announcement
     * waits share it, since the read runs after them. A storm of joins into one room costs a few announcements,
     * not one read and one {@code onlineUsers} to every member per join. A room's announcements are also spaced by
     * its size ({@link #announcementSpacingNanos}): the first after a quiet spell goes at once, the ones during a
     * storm wait for the spacing, and the last join's announcement always goes out.
     */
    void announceJoin(String room, String user, boolean wasOnline) {
        if (!wasOnline) {
            outbox.sendEventMessage(room, user, user + " joined the room");
        }
        if (!announcementsPending.add(room)) {
            return;
        }
        Long next = nextAnnouncement.get(room);
        long delay = next == null ? 0 : Math.max(0, next - System.nanoTime());
        try {
            announcer.schedule(
                    () -> {
                        // Cleared before reading: a join completing from here on schedules the next announcement.
                        announcementsPending.remove(room);
                        List<String> online = publishPresence(room, null);
                        if (online != null) {
                            spaceNextAnnouncement(room, online.size());
                        }
                    },
                    delay,
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            announcementsPending.remove(room); // closing
        }
    }

    private void spaceNextAnnouncement(String room, int users) {
        long now = System.nanoTime();
        if (nextAnnouncement.size() >= SPACING_ENTRIES) {
            nextAnnouncement.values().removeIf(at -> at - now <= 0);
        }
        nextAnnouncement.put(room, now + announcementSpacingNanos(users));
    }

    /** After a leave: online users, then a leave event message if the user is no longer online in the room. */
    void announceLeave(String room, String user) {
        List<String> online = publishPresence(room, null);
        if (online != null && !online.contains(user)) {
            outbox.sendEventMessage(room, user, user + " left the room");
        }
    }

    /**
     * Reads the room's online users and publishes them on the events topic for every node. Runs under the
     * room's lock stripe, so this node's announcements of a room are published in the order they were read
     * and the last one published is the freshest. Returns the list read, or null when reading failed.
     */
    List<String> publishPresence(String room, List<CompletableFuture<Void>> published) {
        synchronized (roomStripe(room)) {
            List<String> online;
            try {
                online = presence.onlineUsers(room);
            } catch (RuntimeException e) {
                log.warn("Could not read the online users of room '{}'", room, e);
                return null;
            }
            byte[] payload = WireCodec.encodeEvent(new BusEvent.Presence(room, online));
            CompletionStage<Void> stage = outbox.publish(
                    new BusRecord(BusTopic.EVENTS, ConversationId.room(room).key(), payload));
            stage.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    log.warn("Could not publish the online users of room '{}'", room, Completions.unwrap(failure));
                }
            });
            if (published != null) {
                published.add(stage.toCompletableFuture());
            }
            return online;
        }
    }

    /** Every third of the lease: renew it, retry failed presence writes, expire dead nodes' presence. */
    void maintainOnce() {
        try {
            presence.renewLease(context.nodeId(), leaseTtl);
        } catch (RuntimeException e) {
            log.warn("Could not renew the presence lease of node {}", context.nodeId(), e);
        }
        for (Iterator<String> it = repairs.iterator(); it.hasNext(); ) {
            String connectionId = it.next();
            try {
                Set<String> changed = repair(connectionId);
                it.remove();
                changed.forEach(room -> publishPresence(room, null));
            } catch (RuntimeException e) {
                log.debug("Still cannot repair the presence of connection {}", connectionId, e);
                break;
            }
        }
        try {
            for (String room : presence.expireLeases()) {
                publishPresence(room, null);
            }
        } catch (RuntimeException e) {
            log.warn("Could not expire lapsed presence leases", e);
        }
    }

    /**
     * Engine shutdown: removes the node's presence as a whole and announces the rooms it was in, waiting up to
     * {@code wait} for the announcements to be published.
     */
    void removeNode(Duration wait) {
        List<CompletableFuture<Void>> announcements = new ArrayList<>();
        try {
            for (String room : presence.removeNode(context.nodeId())) {
                publishPresence(room, announcements);
            }
        } catch (RuntimeException e) {
            log.warn("Could not remove node {}'s presence on close; its lease will expire it", context.nodeId(), e);
        }
        try {
            CompletableFuture.allOf(announcements.toArray(new CompletableFuture<?>[0]))
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("Presence announcements on close did not all complete", e);
        }
    }

    /** Makes the store hold exactly the rooms the connection is in now; returns the rooms that may have changed. */
    private Set<String> repair(String connectionId) {
        LocalConnection connection = connections.get(connectionId);
        return connection == null ? presence.leaveAll(connectionId) : connection.rewritePresence();
    }
}
