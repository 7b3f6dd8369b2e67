package io.fatechat.core;

import io.fatechat.spi.ErrorCode;
import java.time.Duration;

/**
 * Hooks for counting what the engine does; the Spring Boot starter binds them to Micrometer. Every method
 * must be cheap and non-blocking; the defaults do nothing.
 */
public interface ChatMetrics {

    /** A room or private message was accepted and made durable. */
    default void messageSent() {}

    /** A message reached this node's sink, {@code latency} after it was created. */
    default void messageDelivered(Duration latency) {}

    /** A request was refused. */
    default void requestRefused(ErrorCode reason) {}

    /** A connection was opened ({@code +1}) or closed ({@code -1}). */
    default void connectionsChanged(int delta) {}

    ChatMetrics NONE = new ChatMetrics() {};
}
