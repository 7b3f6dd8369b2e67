package io.fatechat.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Socket.IO connection state recovery: whether it is offered, and its bounds.
 *
 * @param enabled whether connections get a recovery pid; off by default in a bare engine, on in the starter
 * @param window how long a dropped connection stays recoverable (default 2 minutes, as Socket.IO); 1 second to 7 days
 * @param presenceGrace how long a connection that dropped (not one that said goodbye) keeps its user online before
 *        it is closed and its rooms are told the user left (default 1 second); zero to 1 minute, and shorter than
 *        the window. A client that returns within it comes back without a leave/join pair
 * @param maxReplay the most missed messages replayed to a recovering client (default 1,000); past it the client
 *        gets a fresh session and reloads history itself
 */
public record RecoveryOptions(boolean enabled, Duration window, Duration presenceGrace, int maxReplay) {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);
    public static final Duration DEFAULT_PRESENCE_GRACE = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_REPLAY = 1000;

    /** Recovery off. */
    public static final RecoveryOptions DISABLED =
            new RecoveryOptions(false, DEFAULT_WINDOW, DEFAULT_PRESENCE_GRACE, DEFAULT_MAX_REPLAY);
    /** Recovery on with the defaults. */
    public static final RecoveryOptions DEFAULTS =
            new RecoveryOptions(true, DEFAULT_WINDOW, DEFAULT_PRESENCE_GRACE, DEFAULT_MAX_REPLAY);

    public RecoveryOptions {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(presenceGrace, "presenceGrace");
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("recovery window must be between 1 second and 7 days, was " + window);
        }
        if (presenceGrace.isNegative() || presenceGrace.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("presenceGrace must be between 0 and 1 minute, was " + presenceGrace);
        }
        if (presenceGrace.compareTo(window) >= 0) {
            throw new IllegalArgumentException(
                    "presenceGrace (" + presenceGrace + ") must be shorter than the window (" + window + ")");
        }
        if (maxReplay < 1 || maxReplay > 100_000) {
            throw new IllegalArgumentException("maxReplay must be between 1 and 100000, was " + maxReplay);
        }
    }

    public RecoveryOptions withWindow(Duration newWindow) {
        return new RecoveryOptions(enabled, newWindow, presenceGrace, maxReplay);
    }

    public RecoveryOptions withPresenceGrace(Duration newGrace) {
        return new RecoveryOptions(enabled, window, newGrace, maxReplay);
    }

    public RecoveryOptions withMaxReplay(int newMaxReplay) {
        return new RecoveryOptions(enabled, window, presenceGrace, newMaxReplay);
    }
}
