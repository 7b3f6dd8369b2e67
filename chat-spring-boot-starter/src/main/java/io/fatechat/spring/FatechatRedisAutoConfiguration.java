package io.fatechat.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.fatechat.redis.RedisConfig;
import io.fatechat.redis.RedisPresenceStore;
import io.fatechat.spi.PresenceStore;

/**
 * The Redis presence store and the recent-message cache in front of the history store, when {@code chat-redis} is on the class path and {@code fatechat.redis.url} (or
 * {@code FATECHAT_REDIS_URL}) is set. Backs off when the host defines its own {@link PresenceStore}.
 */
@AutoConfiguration
@ConditionalOnClass(RedisPresenceStore.class)
@ConditionalOnProperty(prefix = "fatechat.redis", name = "url")
@EnableConfigurationProperties(FatechatProperties.class)
public class FatechatRedisAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public RedisConfig fatechatRedisConfig(FatechatProperties properties) {
        FatechatProperties.Redis r = properties.getRedis();
        return RedisConfig.builder()
                .uri(r.getUrl().trim())
                .keyPrefix(r.getKeyPrefix())
                .commandTimeout(r.getCommandTimeout())
                .recentCacheSize(r.getRecentCacheSize())
                .recentCacheTtl(r.getRecentCacheTtl())
                .leaseTtl(properties.getPresenceLeaseTtl())
                .build();
    }

    /** The recent-message cache; {@code fatechat.redis.recent-cache=false} leaves history to the history store. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "fatechat.redis", name = "recent-cache", havingValue = "true", matchIfMissing = true)
    public RedisRecentCacheDecorator fatechatRedisRecentCache(RedisConfig config) {
        return new RedisRecentCacheDecorator(config);
    }

    @Bean
    @ConditionalOnMissingBean(PresenceStore.class)
    public RedisPresenceStore fatechatRedisPresenceStore(RedisConfig config) {
        return new RedisPresenceStore(config);
    }
}
