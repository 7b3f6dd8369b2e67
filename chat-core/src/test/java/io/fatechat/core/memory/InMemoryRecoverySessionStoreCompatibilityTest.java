package io.fatechat.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.spi.RecoverySession;
import io.fatechat.spi.RecoverySessionStore;
import io.fatechat.tck.RecoverySessionStoreCompatibilityKit;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory recovery store passes the kit (the test's "nodes" share one instance) and purges what expired. */
class InMemoryRecoverySessionStoreCompatibilityTest extends RecoverySessionStoreCompatibilityKit {

    private final InMemoryRecoverySessionStore shared = new InMemoryRecoverySessionStore();

    @Override
    protected RecoverySessionStore newStore() {
        return shared;
    }

    @Test
    void purgeDropsExpiredRecords() {
        InMemoryRecoverySessionStore store = new InMemoryRecoverySessionStore();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        store.save(new RecoverySession("old", "a@example.com", Map.of(), "o", now.minusSeconds(1)));
        store.save(new RecoverySession("new", "a@example.com", Map.of(), "o", now.plusSeconds(1)));

        store.purgeExpired(now);

        assertThat(store.size()).isEqualTo(1);
    }
}
