package io.fatechat.redis;

import io.fatechat.redis.internal.LuaScript;
import io.fatechat.redis.internal.RedisLink;
import io.fatechat.spi.ThrottleStore;
import io.fatechat.spi.ThrottleWindow;
import io.fatechat.spi.support.OutageLog;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ThrottleStore} in Redis, so that every node counts into the same windows: one counter key per throttle
 * key ({@code <prefix>throttle:<key>}), counted and given its TTL by one Lua script (INCR, then PEXPIRE on the
 * first hit), so that concurrent hits from any node are each counted once and no counter outlives its window.
 *
 * <p>While Redis is unreachable every call fails fast with {@code BackendUnavailableException}, logged once per
 * outage; callers fall back to their node's own counters.
 */
public final class RedisThrottleStore implements ThrottleStore {

    private static final Logger log = LoggerFactory.getLogger(RedisThrottleStore.class);
    private static final LuaScript HIT = LuaScript.load("throttle-hit");

    private final RedisLink link;
    private final String prefix;

    /** Connects to Redis as {@code config} says; a Redis that is down now is retried on use. */
    public RedisThrottleStore(RedisConfig config) {
        Objects.requireNonNull(config, "config");
        this.link = new RedisLink(config, "RedisThrottleStore", new OutageLog(log, "Redis throttle counters"));
        this.prefix = config.keyPrefix() + "throttle:";
    }

    @Override
    public ThrottleWindow hit(String key, Duration window) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        List<Long> reply = link.eval(
                HIT,
                ScriptOutputType.MULTI,
                new String[] {prefix + key},
                Long.toString(Math.max(1, window.toMillis())));
        return new ThrottleWindow(reply.get(0), Duration.ofMillis(Math.max(0, reply.get(1))));
    }

    @Override
    public void reset(String key) {
        Objects.requireNonNull(key, "key");
        link.await(link.async().del(prefix + key), "throttle reset");
    }

    @Override
    public void close() {
        link.close();
    }
}
