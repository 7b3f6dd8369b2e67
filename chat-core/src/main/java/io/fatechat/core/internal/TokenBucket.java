package io.fatechat.core.internal;

/**
 * A token bucket: holds up to {@code burst} tokens and refills {@code perSecond} tokens a second. Thread-safe.
 * Time comes from the caller (milliseconds of the engine's clock) so tests can drive it.
 */
public final class TokenBucket {

    private final double perMilli;
    private final double burst;
    private double tokens;
    private long lastMillis;

    public TokenBucket(int perSecond, int burst, long nowMillis) {
        this.perMilli = perSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.lastMillis = nowMillis;
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryAcquire(long nowMillis) {
        refill(nowMillis);
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /** Whether the bucket has refilled completely, i.e. forgetting it changes nothing. */
    public synchronized boolean isFull(long nowMillis) {
        refill(nowMillis);
        return tokens >= burst;
    }

    private void refill(long nowMillis) {
        long elapsed = nowMillis - lastMillis;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perMilli);
            lastMillis = nowMillis;
        }
    }
}
