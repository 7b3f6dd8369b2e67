package io.fatechat.spi;

import java.time.Duration;
import java.util.Optional;

/** A per-user or per-connection limit was exceeded; the request may succeed later. */
public class RateLimitedException extends ChatException {

    private static final long serialVersionUID = 1L;

    private final String limit;
    private final Duration retryAfter;

    /**
     * @param limit which limit, e.g. {@code messagesPerSecond} or {@code roomsPerConnection}
     * @param message what happened, for the client
     */
    public RateLimitedException(String limit, String message) {
        this(limit, message, null);
    }

    /**
     * @param retryAfter how long the client should wait before it tries again (HTTP {@code Retry-After}); null
     *        when unknown
     */
    public RateLimitedException(String limit, String message, Duration retryAfter) {
        super(ErrorCode.RATE_LIMITED, message);
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    public String limit() {
        return limit;
    }

    /** How long the client should wait before trying again, when the limit knows. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
