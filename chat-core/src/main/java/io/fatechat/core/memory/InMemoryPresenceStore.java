package io.fatechat.core.memory;

import io.fatechat.spi.PresenceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The in-process {@link PresenceStore}: the embedded default, and a test double whose leases follow an
 * injectable {@link Clock}. One lock guards everything; every call is short and does no I/O.
 *
 * <p>Entries of a node that has never called {@link #renewLease} do not expire (there is no lease to lapse);
 * {@link #removeNode} removes them.
 */
public final class InMemoryPresenceStore implements PresenceStore {

    private final Clock clock;
    private final Object lock = new Object();
    /** connection id -> its entry. */
    private final Map<String, Connection> connections = new HashMap<>();
    /** room -> connection id -> user. */
    private final Map<String, Map<String, String>> rooms = new HashMap<>();
    /** node id -> connection ids it serves. */
    private final Map<String, Set<String>> nodes = new HashMap<>();
    /** node id -> end of its lease. */
    private final Map<String, Instant> leases = new HashMap<>();

    /** A store whose leases follow the system clock. */
    public InMemoryPresenceStore() {
        this(Clock.systemUTC());
    }

    public InMemoryPresenceStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean join(String nodeId, String connectionId, String user, String room) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(room, "room");
        synchronized (lock) {
            Map<String, String> members = rooms.get(room);
            boolean wasOnline = members != null && members.containsValue(user);
            Connection connection = connections.get(connectionId);
            if (connection == null || !connection.node.equals(nodeId) || !connection.user.equals(user)) {
                // A connection id reused by another node or user: start it afresh rather than mix entries.
                if (connection != null) {
                    removeConnection(connectionId);
                }
                connection = new Connection(nodeId, user);
                connections.put(connectionId, connection);
                nodes.computeIfAbsent(nodeId, n -> new HashSet<>()).add(connectionId);
            }
            connection.rooms.add(room);
            rooms.computeIfAbsent(room, r -> new HashMap<>()).put(connectionId, user);
            return wasOnline;
        }
    }

    @Override
    public boolean leave(String connectionId, String room) {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(room, "room");
        synchronized (lock) {
            Connection connection = connections.get(connectionId);
            if (connection == null || !connection.rooms.remove(room)) {
                return false;
            }
            removeFromRoom(room, connectionId);
            if (connection.rooms.isEmpty()) {
                dropConnection(connectionId, connection);
            }
            return true;
        }
    }

    @Override
    public Set<String> leaveAll(String connectionId) {
        Objects.requireNonNull(connectionId, "connectionId");
        synchronized (lock) {
            return removeConnection(connectionId);
        }
    }

    @Override
    public List<String> onlineUsers(String room) {
        Objects.requireNonNull(room, "room");
        synchronized (lock) {
            Map<String, String> members = rooms.get(room);
            return members == null ? List.of() : List.copyOf(new TreeSet<>(members.values()));
        }
    }

    @Override
    public void renewLease(String nodeId, Duration ttl) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        Instant until = clock.instant().plus(ttl);
        synchronized (lock) {
            leases.merge(nodeId, until, (old, now) -> now.isAfter(old) ? now : old);
        }
    }

    @Override
    public Set<String> expireLeases() {
        Instant now = clock.instant();
        synchronized (lock) {
            Set<String> affected = new TreeSet<>();
            Iterator<Map.Entry<String, Instant>> it = leases.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Instant> lease = it.next();
                if (!lease.getValue().isAfter(now)) {
                    it.remove();
                    affected.addAll(removeEntriesOf(lease.getKey()));
                }
            }
            return Set.copyOf(affected);
        }
    }

    @Override
    public Set<String> removeNode(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        synchronized (lock) {
            leases.remove(nodeId);
            return Set.copyOf(removeEntriesOf(nodeId));
        }
    }

    private Set<String> removeEntriesOf(String nodeId) {
        Set<String> served = nodes.get(nodeId);
        if (served == null) {
            return Set.of();
        }
        Set<String> affected = new HashSet<>();
        for (String connectionId : List.copyOf(served)) {
            affected.addAll(removeConnection(connectionId));
        }
        return affected;
    }

    private Set<String> removeConnection(String connectionId) {
        Connection connection = connections.get(connectionId);
        if (connection == null) {
            return Set.of();
        }
        Set<String> left = Set.copyOf(connection.rooms);
        for (String room : left) {
            removeFromRoom(room, connectionId);
        }
        dropConnection(connectionId, connection);
        return left;
    }

    private void dropConnection(String connectionId, Connection connection) {
        connections.remove(connectionId);
        Set<String> served = nodes.get(connection.node);
        if (served != null) {
            served.remove(connectionId);
            if (served.isEmpty()) {
                nodes.remove(connection.node);
            }
        }
    }

    private void removeFromRoom(String room, String connectionId) {
        Map<String, String> members = rooms.get(room);
        if (members != null) {
            members.remove(connectionId);
            if (members.isEmpty()) {
                rooms.remove(room);
            }
        }
    }

    private static final class Connection {
        final String node;
        final String user;
        final Set<String> rooms = new HashSet<>();

        Connection(String node, String user) {
            this.node = node;
            this.user = user;
        }
    }
}
