package io.fatechat.redis;

import io.fatechat.testing.TestServices;
import java.util.UUID;

/** Where the integration tests find Redis, and key prefixes no other run uses. */
final class RedisTestSupport {

    private RedisTestSupport() {
    }

    /** {@code FATECHAT_REDIS_URL}, a container where Docker is, or the local Redis ({@link TestServices}). */
    static String redisUrl() {
        return TestServices.redisUrl();
    }

    /** A key prefix unique to this run and purpose, e.g. {@code fatechat-it:presence-1a2b3c4d:}. */
    static String uniquePrefix(String purpose) {
        return "fatechat-it:" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    static RedisConfig.Builder config(String purpose) {
        return RedisConfig.builder().uri(redisUrl()).keyPrefix(uniquePrefix(purpose));
    }
}
