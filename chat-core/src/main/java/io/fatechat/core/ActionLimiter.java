package io.fatechat.core;

import io.fatechat.core.internal.TokenBucket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rates of what is not a message: joins, leaves and typing per user on this node
 * ({@link ChatLimits#actionsPerSecond()}), and what happens to a connection that keeps going after refusals: after
 * {@link ChatLimits#violationsBeforeDisconnect()} of them in a burst it is closed and its transport told to cut it
 * off, so a flooder cannot keep a room's members busy.
 */
final class ActionLimiter {

    private static final Logger log = LoggerFactory.getLogger(ActionLimiter.class);

    private final EngineContext context;
    private final Delivery delivery;
    /** Per user on this node; full (idle) buckets are swept away periodically, so the map stays small. */
    private final Map<String, TokenBucket> actionBuckets = new ConcurrentHashMap<>();

    ActionLimiter(EngineContext context, Delivery delivery) {
        this.context = context;
        this.delivery = delivery;
    }

    /** Takes one action of {@code user}; false when over the rate. */
    boolean tryAction(String user) {
        ChatLimits limits = context.limits();
        long now = context.clock().millis();
        return actionBuckets
                .computeIfAbsent(user, u -> new TokenBucket(limits.actionsPerSecond(), limits.actionBurst(), now))
                .tryAcquire(now);
    }

    /** A bucket of forgivable refusals for one connection: one forgiven a second. */
    TokenBucket newViolationBucket() {
        return new TokenBucket(
                1,
                context.limits().violationsBeforeDisconnect(),
                context.clock().millis());
    }

    /** {@code connection} was refused over a rate; past its allowance it is closed and cut off. */
    void violation(LocalConnection connection, TokenBucket violations) {
        if (violations.tryAcquire(context.clock().millis())) {
            return;
        }
        log.info(
                "Disconnecting connection {} of {}: it kept exceeding its rate limits",
                connection.id(),
                connection.user());
        connection.close();
        delivery.disconnect(connection.id(), "rate_limited");
    }

    /** Drops full (idle) buckets. */
    void sweepIdleBuckets() {
        long now = context.clock().millis();
        actionBuckets.values().removeIf(bucket -> bucket.isFull(now));
    }
}
