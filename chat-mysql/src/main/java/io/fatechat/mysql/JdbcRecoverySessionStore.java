package io.fatechat.mysql;

import io.fatechat.mysql.internal.SqlErrorClassifier;
import io.fatechat.spi.RecoverySession;
import io.fatechat.spi.RecoverySessionStore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link RecoverySessionStore} on MySQL, MariaDB or H2: one row per pid in {@code <prefix>recovery_sessions}. Obtain
 * from {@link JdbcChatStores#recoverySessions()}.
 *
 * <p>{@link #take} locks the row ({@code SELECT ... FOR UPDATE}) and deletes it in one transaction; only the caller
 * whose delete removed the row gets the session, so of nodes racing for one pid exactly one recovers it (a lock
 * conflict counts as losing). Expired rows are never returned and are deleted by {@link #purgeExpired}.
 *
 * <p>{@link #save} is one autocommitted statement: {@code INSERT ... ON DUPLICATE KEY UPDATE} on MySQL and MariaDB,
 * {@code MERGE ... KEY (pid)} on H2, whose {@code ON DUPLICATE KEY UPDATE} first fails the insert with a
 * duplicate-key error and then prepares and runs an update: about twice the time of a {@code MERGE} under the
 * history committer's load, time a connecting socket spends holding up H2's store.
 */
public final class JdbcRecoverySessionStore implements RecoverySessionStore {

    static final int MAX_PID_LENGTH = 64;

    /** A first save of one pid racing another may fail on the insert (H2); its next attempt finds the row and updates. */
    private static final int MAX_SAVE_ATTEMPTS = 3;

    private static final int EXTEND_CHUNK = 1_000;

    private final Supplier<Jdbi> jdbi;
    private final String upsert;
    private final String select;
    private final String delete;
    private final String extend;
    private final String purge;

    JdbcRecoverySessionStore(Supplier<Jdbi> jdbi, Tables tables, boolean h2) {
        this.jdbi = jdbi;
        String t = tables.recoverySessions();
        this.upsert = h2
                ? "MERGE INTO " + t
                        + " (pid, user_email, last_offset, rooms, expires_at) KEY (pid) VALUES (?, ?, ?, ?, ?)"
                : "INSERT INTO " + t + " (pid, user_email, last_offset, rooms, expires_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE user_email = VALUES(user_email), last_offset = VALUES(last_offset),"
                        + " rooms = VALUES(rooms), expires_at = VALUES(expires_at)";
        this.select = "SELECT user_email, last_offset, rooms, expires_at FROM " + t + " WHERE pid = ? FOR UPDATE";
        this.delete = "DELETE FROM " + t + " WHERE pid = ?";
        this.extend = "UPDATE " + t + " SET expires_at = ? WHERE pid = ?";
        this.purge = "DELETE FROM " + t + " WHERE expires_at <= ?";
    }

    @Override
    public void save(RecoverySession session) {
        Objects.requireNonNull(session, "session");
        String rooms = session.encodeRooms();
        retryingRaces("save recovery session", () -> jdbi.get().useHandle(h -> h.createUpdate(upsert)
                .bind(0, session.pid())
                .bind(1, session.user())
                .bind(2, session.offset())
                .bind(3, rooms)
                .bind(4, session.expiresAt().toEpochMilli())
                .execute()));
    }

    /** One transaction for the whole batch: on H2 one commit and one chunk write instead of one per session. */
    @Override
    public void saveAll(Collection<RecoverySession> sessions) {
        List<RecoverySession> valid = List.copyOf(sessions);
        if (valid.isEmpty()) {
            return;
        }
        retryingRaces("save recovery sessions", () -> jdbi.get().useTransaction(h -> {
            var batch = h.prepareBatch(upsert);
            for (RecoverySession session : valid) {
                batch.bind(0, session.pid())
                        .bind(1, session.user())
                        .bind(2, session.offset())
                        .bind(3, session.encodeRooms())
                        .bind(4, session.expiresAt().toEpochMilli())
                        .add();
            }
            batch.execute();
        }));
    }

    /** Runs {@code write} again when it lost a race for a first insert of a pid; its next attempt updates. */
    private static void retryingRaces(String operation, Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (RuntimeException e) {
                boolean raced = SqlErrorClassifier.isLockNotGranted(e) || SqlErrorClassifier.isDuplicateKey(e);
                if (attempt >= MAX_SAVE_ATTEMPTS || !raced) {
                    throw SqlErrorClassifier.translate(operation, e);
                }
            }
        }
    }

    @Override
    public Optional<RecoverySession> take(String pid, Instant now) {
        Objects.requireNonNull(now, "now");
        if (pid == null || pid.isEmpty() || pid.length() > MAX_PID_LENGTH) {
            return Optional.empty();
        }
        try {
            Optional<RecoverySession> taken = jdbi.get().inTransaction(h -> {
                Optional<RecoverySession> found = h.createQuery(select)
                        .bind(0, pid)
                        .map((rs, ctx) -> new RecoverySession(
                                pid,
                                rs.getString(1),
                                RecoverySession.decodeRooms(rs.getString(3)),
                                rs.getString(2),
                                Instant.ofEpochMilli(rs.getLong(4))))
                        .findOne();
                if (found.isEmpty() || h.createUpdate(delete).bind(0, pid).execute() != 1) {
                    return Optional.<RecoverySession>empty();
                }
                return found;
            });
            return taken.filter(session -> session.expiresAt().isAfter(now));
        } catch (RuntimeException e) {
            if (SqlErrorClassifier.isLockNotGranted(e)) {
                return Optional.empty(); // another node holds the row: it recovers this pid
            }
            throw SqlErrorClassifier.translate("take recovery session", e);
        }
    }

    @Override
    public void extend(Collection<String> pids, Instant expiresAt) {
        Objects.requireNonNull(expiresAt, "expiresAt");
        List<String> valid = pids.stream()
                .filter(p -> p != null && p.length() <= MAX_PID_LENGTH)
                .toList();
        if (valid.isEmpty()) {
            return;
        }
        try {
            // one commit per chunk, not per row (autocommit would make 20,000 live sockets 20,000 commits per
            // refresh); chunks keep each transaction's row locks short for a take on another node
            for (int from = 0; from < valid.size(); from += EXTEND_CHUNK) {
                List<String> chunk = valid.subList(from, Math.min(valid.size(), from + EXTEND_CHUNK));
                jdbi.get().useTransaction(h -> {
                    var batch = h.prepareBatch(extend);
                    for (String pid : chunk) {
                        batch.bind(0, expiresAt.toEpochMilli()).bind(1, pid).add();
                    }
                    batch.execute();
                });
            }
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate("extend recovery sessions", e);
        }
    }

    @Override
    public void remove(String pid) {
        if (pid == null || pid.isEmpty() || pid.length() > MAX_PID_LENGTH) {
            return;
        }
        try {
            jdbi.get().useHandle(h -> h.createUpdate(delete).bind(0, pid).execute());
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate("remove recovery session", e);
        }
    }

    @Override
    public void purgeExpired(Instant now) {
        try {
            jdbi.get()
                    .useHandle(h ->
                            h.createUpdate(purge).bind(0, now.toEpochMilli()).execute());
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate("purge recovery sessions", e);
        }
    }

    /** Does nothing: the pool belongs to {@link JdbcChatStores}. */
    @Override
    public void close() {}
}
