package io.fatechat.core.memory;

import io.fatechat.spi.RecoverySession;
import io.fatechat.spi.RecoverySessionStore;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The in-process {@link RecoverySessionStore}: recovery on the node that held the connection only, gone with the
 * process. Expired records are dropped by {@link #purgeExpired}, which the engine calls periodically.
 */
public final class InMemoryRecoverySessionStore implements RecoverySessionStore {

    private final ConcurrentMap<String, RecoverySession> sessions = new ConcurrentHashMap<>();

    @Override
    public void save(RecoverySession session) {
        Objects.requireNonNull(session, "session");
        sessions.put(session.pid(), session);
    }

    @Override
    public Optional<RecoverySession> take(String pid, Instant now) {
        Objects.requireNonNull(now, "now");
        if (pid == null) {
            return Optional.empty();
        }
        RecoverySession session = sessions.remove(pid);
        return session != null && session.expiresAt().isAfter(now) ? Optional.of(session) : Optional.empty();
    }

    @Override
    public void extend(Collection<String> pids, Instant expiresAt) {
        Objects.requireNonNull(expiresAt, "expiresAt");
        for (String pid : pids) {
            sessions.computeIfPresent(pid, (key, session) -> session.expiringAt(expiresAt));
        }
    }

    @Override
    public void remove(String pid) {
        if (pid != null) {
            sessions.remove(pid);
        }
    }

    @Override
    public void purgeExpired(Instant now) {
        sessions.values().removeIf(session -> !session.expiresAt().isAfter(now));
    }

    /** How many records are kept, expired ones included until the next purge. */
    public int size() {
        return sessions.size();
    }
}
