package io.fatechat.redis;

import io.fatechat.redis.internal.CoalescedReads;
import io.fatechat.redis.internal.LuaScript;
import io.fatechat.redis.internal.RedisLink;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.support.OutageLog;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PresenceStore} in Redis, shared by every node of a deployment.
 *
 * <p>Each change is one Lua script, so an entry and its indexes change together and a crash mid-update leaves
 * no half state. Leases live in one sorted set (node to expiry in milliseconds on the Redis server's clock, so
 * node clocks may disagree); {@link #expireLeases()} reaps lapsed nodes in one script, so when every node calls
 * it at once each removal is reported to exactly one of them. A node that joins before its first
 * {@link #renewLease} gets a lease of {@link RedisConfig#leaseTtl()}, so no entry can outlive its node.
 *
 * <p>While Redis is unreachable every call fails fast with {@link BackendUnavailableException} (backend
 * {@code redis}) after at most the command timeout, and the outage is logged once. The store remembers the
 * connections it joined; when Redis comes back empty (a restart without persistence) or some of this node's
 * writes failed, or its own lease lapsed while it was alive (a long pause), the node's next {@link #renewLease}
 * writes its connections again, so presence heals by itself.
 * One store instance should serve each node id.
 *
 * <p>{@link #onlineUsers} counts only connections whose node holds a live lease, so a dead node's users vanish
 * the moment its lease lapses, even before a node reaps its entries.
 *
 * <p>Key layout under the prefix {@code P}: {@code P presence:leases} (zset), {@code P presence:generation},
 * {@code P presence:room:<room>} (hash connection to node, line feed, user), {@code P presence:conn:<connection>} (hash node,
 * user), {@code P presence:conn-rooms:<connection>} (set), {@code P presence:node:<node>} (set of connections),
 * {@code P presence:user:<user>} (set of connections; entries written before it existed count only once rewritten,
 * so a user online through such an entry may get one extra join event message).
 * Scripts derive some keys from stored values, so all keys must live on one Redis node (standalone or
 * Sentinel-managed; for a cluster use a prefix with a hash tag such as {@code {fatechat}:}).
 */
public final class RedisPresenceStore implements PresenceStore {

    private static final Logger log = LoggerFactory.getLogger(RedisPresenceStore.class);
    /** Bounds the work of one reaping script so Redis is never blocked for long. */
    private static final int REAP_NODES_PER_CALL = 50;

    private static final LuaScript JOIN = LuaScript.load("presence-join");
    private static final LuaScript LEAVE = LuaScript.load("presence-leave");
    private static final LuaScript LEAVE_ALL = LuaScript.load("presence-leave-all");
    private static final LuaScript RENEW = LuaScript.load("presence-renew");
    private static final LuaScript REMOVE_NODES = LuaScript.load("presence-remove-nodes");
    private static final LuaScript RESYNC = LuaScript.load("presence-resync");
    private static final LuaScript ONLINE = LuaScript.load("presence-online");

    private final RedisLink link;
    private final String prefix;
    private final String leasesKey;
    private final String generationKey;
    private final String implicitLeaseMillis;

    /** Joins and leaves share the read side; a resync takes the write side so no join slips between its steps. */
    private final ReadWriteLock resyncLock = new ReentrantReadWriteLock();
    /** This store's own connections (bounded by the node's open connections), the source of a resync. */
    private final Map<String, LocalConnection> local = new HashMap<>();

    private final Set<String> dirtyNodes = ConcurrentHashMap.newKeySet();
    private final CoalescedReads<List<String>> onlineReads = new CoalescedReads<>(this::readOnline);
    private volatile String generation;

    /** Connects to Redis as {@code config} says; a Redis that is down now is retried on use. */
    public RedisPresenceStore(RedisConfig config) {
        Objects.requireNonNull(config, "config");
        this.link = new RedisLink(config, "RedisPresenceStore", new OutageLog(log, "Redis presence"));
        this.prefix = config.keyPrefix();
        this.leasesKey = prefix + "presence:leases";
        this.generationKey = prefix + "presence:generation";
        this.implicitLeaseMillis = Long.toString(config.leaseTtl().toMillis());
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script: it looks for a live entry of the user in the room among the user's own connections (a few
     * tabs, not the whole room), then writes the entry.
     */
    @Override
    public boolean join(String nodeId, String connectionId, String user, String room) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(room, "room");
        if (nodeId.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("nodeId must not contain a line feed: '" + nodeId + "'");
        }
        resyncLock.readLock().lock();
        try {
            Long wasOnline = write(
                    nodeId,
                    () -> link.eval(
                            JOIN,
                            ScriptOutputType.INTEGER,
                            new String[] {
                                roomKey(room),
                                connKey(connectionId),
                                connRoomsKey(connectionId),
                                nodeKey(nodeId),
                                leasesKey,
                                userKey(user)
                            },
                            nodeId,
                            connectionId,
                            user,
                            room,
                            implicitLeaseMillis,
                            prefix));
            // The local view changes only once Redis did: a failed call leaves both as the caller believes.
            synchronized (local) {
                LocalConnection c = local.get(connectionId);
                if (c == null || !c.node.equals(nodeId) || !c.user.equals(user)) {
                    c = new LocalConnection(nodeId, user);
                    local.put(connectionId, c);
                }
                c.rooms.add(room);
            }
            return wasOnline != null && wasOnline == 1L;
        } finally {
            resyncLock.readLock().unlock();
        }
    }

    @Override
    public boolean leave(String connectionId, String room) {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(room, "room");
        resyncLock.readLock().lock();
        try {
            Long removed = write(
                    localNode(connectionId),
                    () -> link.eval(
                            LEAVE,
                            ScriptOutputType.INTEGER,
                            new String[] {roomKey(room), connRoomsKey(connectionId), connKey(connectionId)},
                            connectionId,
                            room,
                            prefix));
            synchronized (local) {
                LocalConnection c = local.get(connectionId);
                if (c != null && c.rooms.remove(room) && c.rooms.isEmpty()) {
                    local.remove(connectionId);
                }
            }
            return removed != null && removed == 1L;
        } finally {
            resyncLock.readLock().unlock();
        }
    }

    @Override
    public Set<String> leaveAll(String connectionId) {
        Objects.requireNonNull(connectionId, "connectionId");
        resyncLock.readLock().lock();
        try {
            List<String> rooms = write(
                    localNode(connectionId),
                    () -> link.eval(
                            LEAVE_ALL,
                            ScriptOutputType.MULTI,
                            new String[] {connRoomsKey(connectionId), connKey(connectionId)},
                            connectionId,
                            prefix));
            synchronized (local) {
                local.remove(connectionId);
            }
            return Set.copyOf(rooms);
        } finally {
            resyncLock.readLock().unlock();
        }
    }

    private String localNode(String connectionId) {
        synchronized (local) {
            LocalConnection c = local.get(connectionId);
            return c == null ? null : c.node;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Concurrent reads of one room share Redis calls: a caller joins a read that has not been sent yet, or
     * queues one to be sent when the running read returns. Every answer therefore comes from a read sent after
     * the call began (it sees every write that completed before), and a join storm costs each room at most one
     * running and one queued read per node instead of one per caller.
     */
    @Override
    public List<String> onlineUsers(String room) {
        Objects.requireNonNull(room, "room");
        return link.await(
                onlineReads.read(room),
                "onlineUsers",
                link.config().commandTimeout().multipliedBy(2));
    }

    private CompletableFuture<List<String>> readOnline(String room) {
        CompletableFuture<List<Object>> read =
                link.evalAsync(ONLINE, ScriptOutputType.MULTI, new String[] {roomKey(room), leasesKey});
        return read.thenApply(RedisPresenceStore::liveUsers);
    }

    /** The users of the entries whose node is in the live list, sorted, each once. */
    private static List<String> liveUsers(List<Object> answer) {
        Set<String> live = new HashSet<>(strings(answer.get(0)));
        TreeSet<String> users = new TreeSet<>();
        for (String entry : strings(answer.get(1))) {
            int sep = entry.indexOf('\n');
            if (sep > 0 && live.contains(entry.substring(0, sep))) {
                users.add(entry.substring(sep + 1));
            }
        }
        return List.copyOf(users);
    }

    @Override
    public void renewLease(String nodeId, Duration ttl) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        String ttlMillis = Long.toString(Math.max(1, ttl.toMillis()));
        String seen = link.eval(
                RENEW,
                ScriptOutputType.VALUE,
                new String[] {leasesKey, generationKey},
                nodeId,
                ttlMillis,
                newGeneration());
        String before = generation;
        generation = seen;
        if (before != null && !before.equals(seen)) {
            log.warn("Redis presence data was lost (Redis restarted empty?); writing this node's connections again");
            synchronized (local) {
                local.values().forEach(c -> dirtyNodes.add(c.node));
            }
        }
        if (dirtyNodes.remove(nodeId)) {
            resync(nodeId, ttlMillis);
        }
    }

    /** Replaces what Redis holds for {@code nodeId} with this store's own view of its connections. */
    private void resync(String nodeId, String ttlMillis) {
        resyncLock.writeLock().lock();
        try {
            List<String> args = new ArrayList<>();
            args.add(prefix);
            args.add(nodeId);
            args.add(ttlMillis);
            args.add(newGeneration());
            synchronized (local) {
                local.forEach((connectionId, c) -> {
                    if (c.node.equals(nodeId)) {
                        for (String room : c.rooms) {
                            args.add(connectionId);
                            args.add(c.user);
                            args.add(room);
                        }
                    }
                });
            }
            generation = link.eval(
                    RESYNC,
                    ScriptOutputType.VALUE,
                    new String[] {leasesKey, generationKey},
                    args.toArray(String[]::new));
            log.info("wrote {} presence entries of node {} to Redis again", (args.size() - 4) / 3, nodeId);
        } catch (RuntimeException e) {
            dirtyNodes.add(nodeId);
            throw e;
        } finally {
            resyncLock.writeLock().unlock();
        }
    }

    @Override
    public Set<String> expireLeases() {
        return removeNodes(List.of());
    }

    @Override
    public Set<String> removeNode(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        Set<String> rooms = removeNodes(List.of(nodeId));
        dirtyNodes.remove(nodeId);
        return rooms;
    }

    private Set<String> removeNodes(List<String> nodes) {
        List<String> args = new ArrayList<>(nodes.size() + 2);
        args.add(prefix);
        args.add(Integer.toString(REAP_NODES_PER_CALL));
        args.addAll(nodes);
        List<Object> result =
                link.eval(REMOVE_NODES, ScriptOutputType.MULTI, new String[] {leasesKey}, args.toArray(String[]::new));
        Set<String> removedNodes = new HashSet<>(strings(result.get(0)));
        if (!removedNodes.isEmpty()) {
            if (nodes.isEmpty()) {
                log.info("expired the presence leases of nodes {}", removedNodes);
                // A node of this store expired while alive (paused or cut off from Redis longer than its lease):
                // its connections are still open, so they are written again when it next renews its lease.
                synchronized (local) {
                    local.values().stream()
                            .map(c -> c.node)
                            .filter(removedNodes::contains)
                            .distinct()
                            .forEach(node -> {
                                log.warn(
                                        "presence lease of live node {} lapsed; its connections return at its "
                                                + "next renewal",
                                        node);
                                dirtyNodes.add(node);
                            });
                }
            } else {
                synchronized (local) {
                    local.values().removeIf(c -> removedNodes.contains(c.node));
                }
            }
        }
        return Set.copyOf(strings(result.get(1)));
    }

    /** A fresh token for an empty Redis: never one this or another store set before, so every node sees the change. */
    private static String newGeneration() {
        return UUID.randomUUID().toString();
    }

    /** Runs a write; when it fails the node is marked for a resync at its next lease renewal. */
    private <T> T write(String nodeId, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (BackendUnavailableException e) {
            if (nodeId != null) {
                dirtyNodes.add(nodeId);
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return list == null ? List.of() : (List<String>) list;
    }

    private String roomKey(String room) {
        return prefix + "presence:room:" + room;
    }

    private String connKey(String connectionId) {
        return prefix + "presence:conn:" + connectionId;
    }

    private String connRoomsKey(String connectionId) {
        return prefix + "presence:conn-rooms:" + connectionId;
    }

    private String userKey(String user) {
        return prefix + "presence:user:" + user;
    }

    private String nodeKey(String nodeId) {
        return prefix + "presence:node:" + nodeId;
    }

    /** Closes the Redis connection; the stored presence is left to the leases. Idempotent. */
    @Override
    public void close() {
        link.close();
    }

    private static final class LocalConnection {
        final String node;
        final String user;
        final Set<String> rooms = new LinkedHashSet<>();

        LocalConnection(String node, String user) {
            this.node = node;
            this.user = user;
        }
    }
}
