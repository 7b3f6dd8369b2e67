package io.fatechat.spring;

import io.fatechat.redis.RedisConfig;
import io.fatechat.redis.RedisRecentMessageCache;
import io.fatechat.spi.HistoryStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.DisposableBean;

/**
 * Puts the Redis recent-message cache in front of the engine's history store, and closes its Redis connection
 * with the context.
 */
public class RedisRecentCacheDecorator implements HistoryStoreDecorator, DisposableBean {

    private final RedisConfig config;
    private final List<RedisRecentMessageCache> caches = new CopyOnWriteArrayList<>();

    public RedisRecentCacheDecorator(RedisConfig config) {
        this.config = config;
    }

    @Override
    public HistoryStore decorate(HistoryStore store) {
        RedisRecentMessageCache cache = new RedisRecentMessageCache(store, config);
        caches.add(cache);
        return cache;
    }

    @Override
    public void destroy() {
        caches.forEach(RedisRecentMessageCache::close);
    }
}
