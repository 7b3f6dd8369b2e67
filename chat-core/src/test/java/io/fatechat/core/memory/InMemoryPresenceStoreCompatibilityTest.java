package io.fatechat.core.memory;

import io.fatechat.core.MutableClock;
import io.fatechat.spi.PresenceStore;
import io.fatechat.tck.PresenceStoreCompatibilityKit;
import java.time.Duration;
import java.time.Instant;

/** The in-memory presence store passes the kit; the test's stores share one instance (JUnit makes one per test) and a hand-moved clock. */
class InMemoryPresenceStoreCompatibilityTest extends PresenceStoreCompatibilityKit {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryPresenceStore shared = new InMemoryPresenceStore(clock);

    @Override
    protected PresenceStore newStore() {
        // Every "node" of a test sees the same presence, as with one Redis; close() is a no-op.
        return shared;
    }

    @Override
    protected void advanceTime(Duration duration) {
        clock.advance(duration);
    }
}
