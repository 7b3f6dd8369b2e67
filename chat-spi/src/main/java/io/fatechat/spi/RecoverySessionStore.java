package io.fatechat.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Recovery sessions where every node of a deployment reads them, so that a client whose connection dropped can be
 * restored by any node, also after the node it was on died. Checked by {@code RecoverySessionStoreCompatibilityKit}.
 * Thread-safe.
 *
 * <p>A record lives until its {@link RecoverySession#expiresAt()}; a node keeps the records of its live
 * connections from expiring with {@link #extend}. {@link #take} is atomic: of nodes racing for one pid, exactly
 * one gets the session.
 */
public interface RecoverySessionStore extends AutoCloseable {

    /** Stores {@code session}, replacing any record of its pid. */
    void save(RecoverySession session);

    /**
     * Stores every session of {@code sessions} (at most one per pid) as {@link #save} would. The engine saves the
     * sessions of live connections this way, gathered behind the sockets; a backend that can write them together
     * (one transaction, one round trip) overrides this.
     *
     * @throws BackendUnavailableException when the backend cannot be reached; some of the sessions may be stored
     */
    default void saveAll(Collection<RecoverySession> sessions) {
        for (RecoverySession session : sessions) {
            save(session);
        }
    }

    /**
     * Removes and returns the session of {@code pid} if it has not expired at {@code now}; at most one caller of
     * all nodes gets a given record.
     */
    Optional<RecoverySession> take(String pid, Instant now);

    /** Moves the expiry of the stored records of {@code pids} to {@code expiresAt}; unknown pids are skipped. */
    void extend(Collection<String> pids, Instant expiresAt);

    /** Forgets the session of {@code pid}, if any (a client that left on purpose). */
    void remove(String pid);

    /** Deletes records expired at {@code now}, for stores that do not expire them themselves. */
    default void purgeExpired(Instant now) {}

    @Override
    default void close() {}
}
