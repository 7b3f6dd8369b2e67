package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.spi.RecoverySession;
import io.fatechat.spi.RecoverySessionStore;
import io.fatechat.tck.RecoverySessionStoreCompatibilityKit;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The recovery kit against the real Redis (each store its own connection, as two nodes), plus the TTL. */
class RedisRecoverySessionStoreCompatibilityIT extends RecoverySessionStoreCompatibilityKit {

    @RegisterExtension
    static final RedisStoreFixture REDIS = RedisStoreFixture.withPrefix("recovery");

    @Override
    protected RecoverySessionStore newStore() {
        return new RedisRecoverySessionStore(REDIS.config());
    }

    @Test
    void aSessionLivesUnderThePrefixWithATtlAtItsExpiry() {
        RecoverySessionStore store = store();
        String pid = prefix() + "ttl";
        store.save(new RecoverySession(
                pid, "a@example.com", Map.of(), "o", Instant.now().plus(Duration.ofMinutes(2))));

        assertThat(REDIS.commands().pttl(REDIS.keyPrefix() + "recovery:" + pid))
                .isPositive()
                .isLessThanOrEqualTo(120_000L);
    }
}
