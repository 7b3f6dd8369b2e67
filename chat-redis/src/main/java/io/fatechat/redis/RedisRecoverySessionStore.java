package io.fatechat.redis;

import io.fatechat.redis.internal.LuaScript;
import io.fatechat.redis.internal.RedisLink;
import io.fatechat.spi.RecoverySession;
import io.fatechat.spi.RecoverySessionStore;
import io.fatechat.spi.support.OutageLog;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RecoverySessionStore} in Redis, so that any node recovers any client: one hash per pid,
 * {@code <prefix>recovery:<pid>} with the user ({@code u}), offset ({@code o}), rooms ({@code r}, as
 * {@link RecoverySession#encodeRooms()}) and expiry in epoch milliseconds ({@code e}), and a TTL at that expiry, so
 * nothing outlives its window. {@link #take} reads and deletes in one Lua script: one caller wins.
 */
public final class RedisRecoverySessionStore implements RecoverySessionStore {

    private static final Logger log = LoggerFactory.getLogger(RedisRecoverySessionStore.class);
    private static final LuaScript SAVE = LuaScript.load("recovery-save");
    private static final LuaScript TAKE = LuaScript.load("recovery-take");
    private static final LuaScript EXTEND = LuaScript.load("recovery-extend");

    private final RedisLink link;
    private final String prefix;

    /** Connects to Redis as {@code config} says; a Redis that is down now is retried on use. */
    public RedisRecoverySessionStore(RedisConfig config) {
        Objects.requireNonNull(config, "config");
        this.link = new RedisLink(config, "RedisRecoverySessionStore", new OutageLog(log, "Redis recovery sessions"));
        this.prefix = config.keyPrefix() + "recovery:";
    }

    @Override
    public void save(RecoverySession session) {
        Objects.requireNonNull(session, "session");
        link.await(saveAsync(session), "recovery save");
    }

    /** Every session's script sent at once (Lettuce pipelines them): one round trip's wait for the batch. */
    @Override
    public void saveAll(Collection<RecoverySession> sessions) {
        List<CompletableFuture<Long>> writes = new ArrayList<>(sessions.size());
        for (RecoverySession session : sessions) {
            writes.add(saveAsync(session));
        }
        link.awaitAll(writes, "recovery save");
    }

    private CompletableFuture<Long> saveAsync(RecoverySession session) {
        return link.evalAsync(
                SAVE,
                ScriptOutputType.INTEGER,
                new String[] {prefix + session.pid()},
                session.user(),
                session.offset(),
                session.encodeRooms(),
                Long.toString(session.expiresAt().toEpochMilli()));
    }

    @Override
    public Optional<RecoverySession> take(String pid, Instant now) {
        Objects.requireNonNull(now, "now");
        if (pid == null || pid.isEmpty() || pid.length() > 64) {
            return Optional.empty();
        }
        List<Object> fields = link.eval(TAKE, ScriptOutputType.MULTI, new String[] {prefix + pid});
        if (fields == null || fields.size() < 4 || fields.get(0) == null) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochMilli(Long.parseLong((String) fields.get(3)));
        if (!expiresAt.isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(new RecoverySession(
                pid,
                (String) fields.get(0),
                RecoverySession.decodeRooms((String) fields.get(2)),
                (String) fields.get(1),
                expiresAt));
    }

    @Override
    public void extend(Collection<String> pids, Instant expiresAt) {
        Objects.requireNonNull(expiresAt, "expiresAt");
        String expiry = Long.toString(expiresAt.toEpochMilli());
        List<CompletableFuture<Long>> writes = new ArrayList<>(pids.size());
        for (String pid : pids) {
            writes.add(link.evalAsync(EXTEND, ScriptOutputType.INTEGER, new String[] {prefix + pid}, expiry));
        }
        link.awaitAll(writes, "recovery extend");
    }

    @Override
    public void remove(String pid) {
        if (pid != null && !pid.isEmpty()) {
            link.await(link.async().del(prefix + pid), "recovery remove");
        }
    }

    @Override
    public void close() {
        link.close();
    }
}
