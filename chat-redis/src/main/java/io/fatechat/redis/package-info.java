/**
 * Redis backends for Fatechat, on lettuce: {@link io.fatechat.redis.RedisPresenceStore} (who is online where,
 * across nodes, with node leases) and {@link io.fatechat.redis.RedisRecentMessageCache} (the newest messages of
 * each conversation in front of a durable {@link io.fatechat.spi.HistoryStore}), both configured by an
 * immutable {@link io.fatechat.redis.RedisConfig}.
 *
 * <p>Calls are synchronous, as the SPI defines them, and bounded by the command timeout: callers keep them off
 * transport I/O threads. A Redis outage never hangs a caller: presence calls fail fast with
 * {@link io.fatechat.spi.BackendUnavailableException}, the cache falls back to its delegate, and both recover
 * by themselves when Redis is back.
 */
package io.fatechat.redis;
