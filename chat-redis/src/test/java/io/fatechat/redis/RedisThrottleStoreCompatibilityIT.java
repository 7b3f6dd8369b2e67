package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.redis.internal.LuaScript;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ThrottleStore;
import io.fatechat.tck.ThrottleStoreCompatibilityKit;
import io.fatechat.testing.RedisExtension;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The throttle kit against the real Redis (each store its own connection, as two nodes), plus key hygiene. */
class RedisThrottleStoreCompatibilityIT extends ThrottleStoreCompatibilityKit {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.withPrefix("throttle");

    private static RedisConfig config;
    private static RedisCommands<String, String> redis;

    @BeforeAll
    static void connect() {
        config = RedisTestSupport.config(REDIS).build();
        redis = REDIS.commands();
    }

    @Override
    protected ThrottleStore newStore() {
        return new RedisThrottleStore(config);
    }

    @Test
    void everyCounterLivesUnderThePrefixWithATtl() {
        ThrottleStore store = store();
        store.hit(key("ttl"), Duration.ofMinutes(1));

        String counter = config.keyPrefix() + "throttle:" + key("ttl");
        assertThat(redis.pttl(counter)).isPositive().isLessThanOrEqualTo(60_000L);
    }

    @Test
    void aCounterWithoutTtlGetsOneAtItsNextHit() {
        ThrottleStore store = store();
        String counter = config.keyPrefix() + "throttle:" + key("no-ttl");
        redis.set(counter, "5");

        assertThat(store.hit(key("no-ttl"), Duration.ofMinutes(1)).count()).isEqualTo(6);
        assertThat(redis.pttl(counter)).isPositive();
    }

    @Test
    void scriptDigestMatchesRedisSoEvalshaHitsTheScriptCache() {
        LuaScript script = LuaScript.load("throttle-hit");
        assertThat(redis.scriptLoad(script.body())).isEqualTo(script.sha1());
    }

    @Test
    void unreachableRedisFailsFastWithTheNamedBackend() {
        ThrottleStore unreachable = new RedisThrottleStore(RedisConfig.builder()
                .uri("redis://127.0.0.1:1")
                .keyPrefix(config.keyPrefix())
                .connectTimeout(Duration.ofMillis(500))
                .build());
        try {
            assertThatThrownBy(() -> unreachable.hit("k", Duration.ofMinutes(1)))
                    .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.backend())
                            .isEqualTo("redis"));
        } finally {
            unreachable.close();
        }
    }
}
