package io.fatechat.core;

import io.fatechat.spi.ChatException;
import io.fatechat.spi.ClosedException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What every collaborator of one {@link ChatEngine} shares: the node's id, limits, clock and metrics, and
 * whether the engine is closed. Holds no chat state.
 */
final class EngineContext {

    private final String nodeId;
    private final ChatLimits limits;
    private final Clock clock;
    private final ChatMetrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    EngineContext(String nodeId, ChatLimits limits, Clock clock, ChatMetrics metrics) {
        this.nodeId = nodeId;
        this.limits = limits;
        this.clock = clock;
        this.metrics = metrics;
    }

    String nodeId() {
        return nodeId;
    }

    ChatLimits limits() {
        return limits;
    }

    Clock clock() {
        return clock;
    }

    ChatMetrics metrics() {
        return metrics;
    }

    /** A message time: milliseconds, what JSON clients, JavaScript dates and the SQL stores keep. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    int clampCount(int count) {
        return Math.max(1, Math.min(count, limits.maxRecentMessages()));
    }

    boolean isClosed() {
        return closed.get();
    }

    /** True for the one caller that closes the engine. */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new ClosedException("chat engine");
        }
    }

    /** Runs a request, counting a refusal before rethrowing it. */
    <T> T guard(Supplier<T> action) {
        try {
            return action.get();
        } catch (ChatException e) {
            metrics.requestRefused(e.code());
            throw e;
        }
    }

    void guardRun(Runnable action) {
        guard(() -> {
            action.run();
            return null;
        });
    }
}
