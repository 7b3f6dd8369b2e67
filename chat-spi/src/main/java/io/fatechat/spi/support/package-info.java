/**
 * Small helpers every backend needs and should not each write again: logging an outage once per outage,
 * unwrapping {@code CompletableFuture} failures, naming the threads a backend starts.
 *
 * <p>They live here, beside the SPI, so that backend modules (chat-kafka, chat-redis, chat-mysql, third-party
 * ones) can share them while depending on nothing but {@code chat-spi}. They are public for that reason only:
 * they are not part of the extension contract, hosts should not use them, and they may change in a minor
 * release (backends are released with the SPI they were built against).
 */
package io.fatechat.spi.support;
