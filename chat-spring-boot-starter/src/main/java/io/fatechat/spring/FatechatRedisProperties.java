package io.fatechat.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * The Redis presence store and recent-message cache ({@code fatechat.redis.*}, chat-redis on the class path).
 * Defaults are {@code RedisConfig}'s ({@code FatechatRedisAutoConfigurationTest} checks they agree).
 */
@ConfigurationProperties(prefix = "fatechat.redis")
public class FatechatRedisProperties {

    /** Redis URI (redis://[:password@]host:port[/db] or rediss://...); setting it switches presence to Redis. */
    private String url;

    /** Prefix of every key written. */
    private String keyPrefix = "fatechat:";

    /** How long one Redis command may take. */
    private Duration commandTimeout = Duration.ofSeconds(2);

    /** TCP connect timeout. */
    private Duration connectTimeout = Duration.ofSeconds(2);

    /** Cap of the reconnect back-off while Redis is down. */
    private Duration reconnectDelayMax = Duration.ofSeconds(2);

    /** Whether to keep the newest messages of each conversation in Redis in front of the history store. */
    private boolean recentCache = true;

    /** How many of the newest messages the cache keeps per conversation (1 to 5000). */
    private int recentCacheSize = 100;

    /** How long a conversation's cache lives after its last write. */
    private Duration recentCacheTtl = Duration.ofDays(1);

    /** The node's presence lease; the starter takes it from fatechat.presence-lease-ttl, which the engine shares. */
    private Duration leaseTtl;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReconnectDelayMax() {
        return reconnectDelayMax;
    }

    public void setReconnectDelayMax(Duration reconnectDelayMax) {
        this.reconnectDelayMax = reconnectDelayMax;
    }

    public boolean isRecentCache() {
        return recentCache;
    }

    public void setRecentCache(boolean recentCache) {
        this.recentCache = recentCache;
    }

    public int getRecentCacheSize() {
        return recentCacheSize;
    }

    public void setRecentCacheSize(int recentCacheSize) {
        this.recentCacheSize = recentCacheSize;
    }

    public Duration getRecentCacheTtl() {
        return recentCacheTtl;
    }

    public void setRecentCacheTtl(Duration recentCacheTtl) {
        this.recentCacheTtl = recentCacheTtl;
    }

    @DeprecatedConfigurationProperty(
            replacement = "fatechat.presence-lease-ttl",
            reason = "the engine and Redis must share one lease: set fatechat.presence-lease-ttl")
    public Duration getLeaseTtl() {
        return leaseTtl;
    }

    public void setLeaseTtl(Duration leaseTtl) {
        this.leaseTtl = leaseTtl;
    }
}
