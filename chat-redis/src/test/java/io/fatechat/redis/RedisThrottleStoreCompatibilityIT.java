package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.redis.internal.LuaScript;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ThrottleStore;
import io.fatechat.tck.ThrottleStoreCompatibilityKit;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The throttle kit against the real Redis (each store its own connection, as two nodes), plus key hygiene. */
class RedisThrottleStoreCompatibilityIT extends ThrottleStoreCompatibilityKit {

    @RegisterExtension
    static final RedisStoreFixture REDIS = RedisStoreFixture.withPrefix("throttle");

    @Override
    protected ThrottleStore newStore() {
        return new RedisThrottleStore(REDIS.config());
    }

    @Test
    void everyCounterLivesUnderThePrefixWithATtl() {
        ThrottleStore store = store();
        store.hit(key("ttl"), Duration.ofMinutes(1));

        String counter = REDIS.keyPrefix() + "throttle:" + key("ttl");
        assertThat(REDIS.commands().pttl(counter)).isPositive().isLessThanOrEqualTo(60_000L);
    }

    @Test
    void aCounterWithoutTtlGetsOneAtItsNextHit() {
        ThrottleStore store = store();
        String counter = REDIS.keyPrefix() + "throttle:" + key("no-ttl");
        REDIS.commands().set(counter, "5");

        assertThat(store.hit(key("no-ttl"), Duration.ofMinutes(1)).count()).isEqualTo(6);
        assertThat(REDIS.commands().pttl(counter)).isPositive();
    }

    @Test
    void scriptDigestMatchesRedisSoEvalshaHitsTheScriptCache() {
        LuaScript script = LuaScript.load("throttle-hit");
        assertThat(REDIS.commands().scriptLoad(script.body())).isEqualTo(script.sha1());
    }

    @Test
    void unreachableRedisFailsFastWithTheNamedBackend() {
        ThrottleStore unreachable = new RedisThrottleStore(REDIS.unreachableConfig());
        try {
            assertThatThrownBy(() -> unreachable.hit("k", Duration.ofMinutes(1)))
                    .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.backend())
                            .isEqualTo("redis"));
        } finally {
            unreachable.close();
        }
    }
}
