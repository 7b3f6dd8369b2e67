package io.fatechat.spi;

import java.time.Duration;

/**
 * Attempt counters in fixed windows, shared by every node of a deployment: what login and register throttling
 * counts (per address, per account). A key's window starts with its first attempt and lasts the {@code window}
 * that attempt passed; the count then starts again from zero. Checked by {@code ThrottleStoreCompatibilityKit}.
 * Thread-safe.
 *
 * <p>Calls may do network I/O. A store that cannot reach its backend throws {@link BackendUnavailableException};
 * callers then fall back to a counter of their own node rather than refusing everyone or throttling no one.
 */
public interface ThrottleStore extends AutoCloseable {

    /**
     * Counts one attempt for {@code key}, starting a window of {@code window} when none is open, and returns the
     * window's count including this attempt. Atomic: concurrent hits from any node are each counted once.
     */
    ThrottleWindow hit(String key, Duration window);

    /** Forgets {@code key}'s window (e.g. after a successful login). */
    void reset(String key);

    /** Releases connections. */
    @Override
    default void close() {}
}
