package io.fatechat.spring;

import static io.fatechat.spring.BuilderSetter.set;

import io.fatechat.redis.RedisConfig;
import io.fatechat.redis.RedisConversationStore;
import io.fatechat.redis.RedisPresenceStore;
import io.fatechat.redis.RedisThrottleStore;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.ThrottleStore;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * The Redis presence store, the recent-message cache in front of the history store and, in a deployment without
 * a database, the conversation store, when {@code chat-redis}
 * is on the class path and {@code fatechat.redis.url} (or {@code FATECHAT_REDIS_URL}) is set. Backs off when the host defines its own {@link PresenceStore}.
 */
@AutoConfiguration(after = FatechatJdbcAutoConfiguration.class)
@ConditionalOnClass(RedisPresenceStore.class)
@ConditionalOnProperty(prefix = "fatechat.redis", name = "url")
@EnableConfigurationProperties({FatechatRedisProperties.class, FatechatEngineProperties.class})
public class FatechatRedisAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public RedisConfig fatechatRedisConfig(
            FatechatRedisProperties r,
            FatechatEngineProperties engine,
            ObjectProvider<CommandLatencyRecorder> latencyRecorder) {
        String p = "fatechat.redis.";
        Duration lease = engine.getPresenceLeaseTtl();
        if (r.getLeaseTtl() != null && !r.getLeaseTtl().equals(lease)) {
            throw new InvalidConfigurationPropertyValueException(
                    p + "lease-ttl",
                    r.getLeaseTtl(),
                    "the engine and Redis share one presence lease: set fatechat.presence-lease-ttl (now " + lease
                            + ") instead");
        }
        RedisConfig.Builder b = RedisConfig.builder();
        // the URI may hold a password: its refusal must not echo it
        BuilderSetter.setSecret(p + "url", r.getUrl().trim(), b::uri);
        set(p + "key-prefix", r.getKeyPrefix(), b::keyPrefix);
        set(p + "command-timeout", r.getCommandTimeout(), b::commandTimeout);
        set(p + "connect-timeout", r.getConnectTimeout(), b::connectTimeout);
        set(p + "reconnect-delay-max", r.getReconnectDelayMax(), b::reconnectDelayMax);
        set(p + "recent-cache-size", r.getRecentCacheSize(), b::recentCacheSize);
        set(p + "recent-cache-ttl", r.getRecentCacheTtl(), b::recentCacheTtl);
        set("fatechat.presence-lease-ttl", lease, b::leaseTtl);
        // meters Redis commands (FatechatBackendMetricsAutoConfiguration)
        latencyRecorder.ifAvailable(b::commandLatencyRecorder);
        return BuilderSetter.build("fatechat.redis", b::build);
    }

    /** The recent-message cache; {@code fatechat.redis.recent-cache=false} leaves history to the history store. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(
            prefix = "fatechat.redis",
            name = "recent-cache",
            havingValue = "true",
            matchIfMissing = true)
    public RedisRecentCacheDecorator fatechatRedisRecentCache(RedisConfig config) {
        return new RedisRecentCacheDecorator(config);
    }

    @Bean
    @ConditionalOnMissingBean(PresenceStore.class)
    public RedisPresenceStore fatechatRedisPresenceStore(RedisConfig config) {
        return new RedisPresenceStore(config);
    }

    /** Login attempt counters shared by every node; made when the REST API first asks for them. */
    @Bean
    @Lazy
    @ConditionalOnMissingBean(ThrottleStore.class)
    public RedisThrottleStore fatechatRedisThrottleStore(RedisConfig config) {
        return new RedisThrottleStore(config);
    }

    /** Conversations in Redis only when nothing durable holds them: with JDBC configured, its store wins. */
    @Bean
    @ConditionalOnMissingBean(ConversationStore.class)
    public RedisConversationStore fatechatRedisConversationStore(RedisConfig config) {
        return new RedisConversationStore(config);
    }

    /** Recovery sessions where every node reads them, expiring with their window. */
    @Bean
    @ConditionalOnMissingBean(io.fatechat.spi.RecoverySessionStore.class)
    public io.fatechat.redis.RedisRecoverySessionStore fatechatRedisRecoverySessionStore(RedisConfig config) {
        return new io.fatechat.redis.RedisRecoverySessionStore(config);
    }
}
