package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.spi.RecoverySession;
import io.fatechat.spi.RecoverySessionStore;
import io.fatechat.tck.RecoverySessionStoreCompatibilityKit;
import io.fatechat.testing.RedisExtension;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The recovery kit against the real Redis (each store its own connection, as two nodes), plus the TTL. */
class RedisRecoverySessionStoreCompatibilityIT extends RecoverySessionStoreCompatibilityKit {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.withPrefix("recovery");

    private static RedisConfig config;
    private static RedisCommands<String, String> redis;

    @BeforeAll
    static void connect() {
        config = RedisTestSupport.config(REDIS).build();
        redis = REDIS.commands();
    }

    @Override
    protected RecoverySessionStore newStore() {
        return new RedisRecoverySessionStore(config);
    }

    @Test
    void aSessionLivesUnderThePrefixWithATtlAtItsExpiry() {
        RecoverySessionStore store = store();
        String pid = prefix() + "ttl";
        store.save(new RecoverySession(
                pid, "a@example.com", Map.of(), "o", Instant.now().plus(Duration.ofMinutes(2))));

        assertThat(redis.pttl(config.keyPrefix() + "recovery:" + pid))
                .isPositive()
                .isLessThanOrEqualTo(120_000L);
    }
}
