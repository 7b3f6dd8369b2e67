package io.fatechat.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;

/** A plain connection for tests to look at what a store wrote; closing it deletes every key under the prefix. */
final class RedisInspector implements AutoCloseable {

    private final RedisConfig config;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RedisInspector(RedisConfig config) {
        this.config = config;
        this.client = RedisClient.create(config.uri());
        this.connection = client.connect();
    }

    static RedisInspector open(RedisConfig config) {
        return new RedisInspector(config);
    }

    RedisCommands<String, String> sync() {
        return connection.sync();
    }

    @Override
    public void close() {
        try {
            List<String> keys = connection.sync().keys(config.keyPrefix() + "*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            connection.close();
            client.shutdown();
        }
    }
}
