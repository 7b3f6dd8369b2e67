package io.fatechat.spi;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Who is online in which room, across all nodes.
 *
 * <p>Presence is kept per connection: a user with two tabs stays online in a room until both have left.
 * Every entry belongs to a node, and each node holds a lease that it renews with {@link #renewLease}; when a
 * node dies without cleaning up, {@link #expireLeases()} (called periodically by every node) removes its
 * entries once the lease has lapsed. Checked by {@code PresenceStoreCompatibilityKit}. Thread-safe.
 *
 * <p>A node takes its lease with {@link #renewLease} before it joins connections. What becomes of entries of a
 * node that never took a lease is left to the implementation (the Redis store gives them an implicit lease of
 * its default TTL; the in-memory store keeps them until {@link #removeNode}).
 *
 * <p>Calls may do network I/O; callers keep them off transport I/O threads. A store that cannot reach its
 * backend throws {@link BackendUnavailableException}; the engine then degrades presence and keeps chatting.
 */
public interface PresenceStore extends AutoCloseable {

    /**
     * Records that {@code connectionId} of {@code user}, served by {@code nodeId}, is in {@code room}. Idempotent.
     *
     * <p>Answers in the same call whether the user was online in the room before it, so that the engine learns
     * whether to announce a join without a second round trip (a join storm must cost one each).
     *
     * @return true when {@code user} was among {@link #onlineUsers(String) onlineUsers(room)} just before this
     *         call (through another connection, or this one joining again), false when this call put them online
     */
    boolean join(String nodeId, String connectionId, String user, String room);

    /** Removes {@code connectionId} from {@code room}. Returns false when it was not there. */
    boolean leave(String connectionId, String room);

    /** Removes {@code connectionId} from every room it is in and returns those rooms. */
    Set<String> leaveAll(String connectionId);

    /** The distinct users with at least one live connection in {@code room}, sorted. */
    List<String> onlineUsers(String room);

    /** Starts or extends {@code nodeId}'s lease so that its entries live at least {@code ttl} from now. */
    void renewLease(String nodeId, Duration ttl);

    /**
     * Removes the entries of every node whose lease has lapsed and returns the rooms whose online users
     * changed. Safe to call from every node at once: each removal is reported to one caller at most.
     */
    Set<String> expireLeases();

    /** Removes all entries of {@code nodeId} and its lease (graceful shutdown). Returns the rooms affected. */
    Set<String> removeNode(String nodeId);

    /** Releases connections; the stored presence is left to the leases. */
    @Override
    default void close() {}
}
