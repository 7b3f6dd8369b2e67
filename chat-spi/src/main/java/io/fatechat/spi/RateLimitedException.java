package io.fatechat.spi;

/** A per-user or per-connection limit was exceeded; the request may succeed later. */
public class RateLimitedException extends ChatException {

    private static final long serialVersionUID = 1L;

    private final String limit;

    /**
     * @param limit which limit, e.g. {@code messagesPerSecond} or {@code roomsPerConnection}
     * @param message what happened, for the client
     */
    public RateLimitedException(String limit, String message) {
        super(ErrorCode.RATE_LIMITED, message);
        this.limit = limit;
    }

    public String limit() {
        return limit;
    }
}
