package io.fatechat.redis;

import io.fatechat.testing.RedisExtension;

/** The store configuration the integration tests start from. */
final class RedisTestSupport {

    private RedisTestSupport() {}

    /** A config on the extension's Redis, under its key prefix (so its clean-up covers what the store writes). */
    static RedisConfig.Builder config(RedisExtension redis) {
        return RedisConfig.builder().uri(redis.url()).keyPrefix(redis.keyPrefix());
    }
}
