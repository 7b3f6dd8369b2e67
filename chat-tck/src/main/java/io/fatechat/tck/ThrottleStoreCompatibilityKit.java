package io.fatechat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.spi.ThrottleStore;
import io.fatechat.spi.ThrottleWindow;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link ThrottleStore} contract as tests. A backend proves itself by extending this class and returning, from
 * {@link #newStore()}, stores that share one backend (two nodes of a deployment must count into the same window).
 * Keys are unique per test, so the kit can share a backend with other runs.
 */
public abstract class ThrottleStoreCompatibilityKit extends StoreCompatibilityKit<ThrottleStore> {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void hitsCountUpWithinAWindowThatEndsAtMostTheWindowAfterTheFirstHit() {
        ThrottleStore store = store();
        String key = key("login");

        ThrottleWindow first = store.hit(key, MINUTE);
        ThrottleWindow second = store.hit(key, MINUTE);
        ThrottleWindow third = store.hit(key, MINUTE);

        assertThat(List.of(first.count(), second.count(), third.count())).containsExactly(1L, 2L, 3L);
        assertThat(third.remaining()).isPositive().isLessThanOrEqualTo(MINUTE);
    }

    @Test
    void laterHitsDoNotExtendTheWindow() {
        ThrottleStore store = store();
        String key = key("fixed");
        store.hit(key, MINUTE);

        // a longer window passed by a later hit must not push the end of the open one
        assertThat(store.hit(key, Duration.ofHours(1)).remaining()).isLessThanOrEqualTo(MINUTE);
    }

    @Test
    void keysCountApart() {
        ThrottleStore store = store();
        store.hit(key("a"), MINUTE);
        store.hit(key("a"), MINUTE);

        assertThat(store.hit(key("b"), MINUTE).count()).isEqualTo(1);
    }

    @Test
    void resetStartsTheCountAgain() {
        ThrottleStore store = store();
        String key = key("reset");
        store.hit(key, MINUTE);
        store.hit(key, MINUTE);

        store.reset(key);
        store.reset(key("never-hit")); // resetting an unknown key is harmless

        assertThat(store.hit(key, MINUTE).count()).isEqualTo(1);
    }

    @Test
    void theCountStartsAgainOnceTheWindowHasEnded() {
        ThrottleStore store = store();
        String key = key("expiry");
        Duration window = Duration.ofMillis(300);
        store.hit(key, window);
        store.hit(key, window);

        // every poll is a hit too; the first hit after the window ended opens a new one
        await().atMost(timeout())
                .pollInterval(Duration.ofMillis(50))
                .until(() -> store.hit(key, window).count() == 1);
    }

    @Test
    void twoNodesCountIntoTheSameWindow() {
        ThrottleStore nodeA = store();
        ThrottleStore nodeB = store();
        String key = key("shared");

        nodeA.hit(key, MINUTE);
        nodeB.hit(key, MINUTE);

        assertThat(nodeA.hit(key, MINUTE).count()).isEqualTo(3);
    }

    @Test
    void concurrentHitsAreEachCountedOnce() {
        ThrottleStore store = store();
        String key = key("concurrent");
        int threads = 16;

        List<KitSupport.Outcome<Long>> outcomes = KitSupport.runConcurrently(
                threads, timeout(), i -> () -> store.hit(key, MINUTE).count());

        assertThat(outcomes).allMatch(KitSupport.Outcome::succeeded);
        assertThat(outcomes.stream().map(KitSupport.Outcome::value))
                .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, threads)
                        .boxed()
                        .toList());
    }

    /** A key unique to this test. */
    protected final String key(String name) {
        return prefix() + name;
    }
}
