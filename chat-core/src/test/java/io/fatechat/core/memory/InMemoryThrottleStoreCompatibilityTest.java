package io.fatechat.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.core.MutableClock;
import io.fatechat.spi.ThrottleStore;
import io.fatechat.tck.ThrottleStoreCompatibilityKit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The in-memory throttle store passes the kit (the test's "nodes" share one instance), and stays bounded. */
class InMemoryThrottleStoreCompatibilityTest extends ThrottleStoreCompatibilityKit {

    private final InMemoryThrottleStore shared = new InMemoryThrottleStore();

    @Override
    protected ThrottleStore newStore() {
        return shared;
    }

    @Test
    void aFloodOfKeysDropsEndedWindowsFirstThenTheOldest() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryThrottleStore store = new InMemoryThrottleStore(clock, 3);
        store.hit("short", Duration.ofSeconds(1));
        store.hit("old", Duration.ofMinutes(1));
        store.hit("young", Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(2));

        store.hit("new-1", Duration.ofMinutes(1)); // "short" has ended: it goes, nothing else
        assertThat(store.hit("old", Duration.ofMinutes(1)).count()).isEqualTo(2);
        store.hit("new-2", Duration.ofMinutes(1)); // full of open windows: the oldest ("old") goes

        assertThat(store.size()).isEqualTo(3);
        assertThat(store.hit("young", Duration.ofMinutes(1)).count()).isEqualTo(2);
    }

    @Test
    void refusesAnEmptyWindowAndABadCapacity() {
        assertThatThrownBy(() -> shared.hit("k", Duration.ZERO)).hasMessageContaining("window");
        assertThatThrownBy(() -> new InMemoryThrottleStore(Clock.systemUTC(), 0))
                .hasMessageContaining("capacity");
    }
}
