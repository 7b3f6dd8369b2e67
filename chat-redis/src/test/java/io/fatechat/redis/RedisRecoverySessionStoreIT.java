package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.spi.RecoverySession;
import io.fatechat.spi.RecoverySessionStore;
import io.fatechat.tck.RecoverySessionStoreCompatibilityKit;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The recovery kit against the real Redis (each store its own connection, as two nodes), plus the TTL. */
class RedisRecoverySessionStoreIT extends RecoverySessionStoreCompatibilityKit {

    private static final RedisConfig CONFIG = RedisTestSupport.config("recovery").build();
    private static RedisInspector redis;

    @BeforeAll
    static void connect() {
        redis = RedisInspector.open(CONFIG);
    }

    @AfterAll
    static void cleanUp() {
        redis.close();
    }

    @Override
    protected RecoverySessionStore newStore() {
        return new RedisRecoverySessionStore(CONFIG);
    }

    @Test
    void aSessionLivesUnderThePrefixWithATtlAtItsExpiry() {
        RecoverySessionStore store = store();
        String pid = prefix() + "ttl";
        store.save(new RecoverySession(pid, "a@example.com", Map.of(), "o", Instant.now().plus(Duration.ofMinutes(2))));

        assertThat(redis.sync().pttl(CONFIG.keyPrefix() + "recovery:" + pid)).isPositive()
                .isLessThanOrEqualTo(120_000L);
    }
}
