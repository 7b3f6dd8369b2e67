package io.fatechat.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The attempts a {@link ThrottleStore} counted in a key's current window, and how long until the window ends
 * (what a refused client is told to wait: HTTP {@code Retry-After}).
 */
public record ThrottleWindow(long count, Duration remaining) {

    public ThrottleWindow {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        Objects.requireNonNull(remaining, "remaining");
        if (remaining.isNegative()) {
            throw new IllegalArgumentException("remaining must not be negative, was " + remaining);
        }
    }
}
