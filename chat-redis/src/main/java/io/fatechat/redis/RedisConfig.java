package io.fatechat.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of the Redis presence store and recent-message cache. Build with {@link #builder()};
 * every setter checks its argument and {@link Builder#build()} names the bad value.
 *
 * <p>Defaults: {@code redis://127.0.0.1:6379}, key prefix {@code fatechat:}, command timeout 2 s, connect
 * timeout 2 s, reconnect back-off at most 2 s, recent cache of 100 messages per conversation kept 1 day after
 * its last write, implicit node lease 30 s.
 */
public final class RedisConfig {

    /** The default Redis address. */
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    /** The default prefix of every key this module writes. */
    public static final String DEFAULT_KEY_PREFIX = "fatechat:";
    /** The largest {@link Builder#recentCacheSize(int)}: a Lua script unpacks that many ids at once. */
    public static final int MAX_RECENT_CACHE_SIZE = 5_000;

    private final String uri;
    private final String keyPrefix;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final Duration reconnectDelayMax;
    private final int recentCacheSize;
    private final Duration recentCacheTtl;
    private final Duration leaseTtl;
    private final CommandLatencyRecorder commandLatencyRecorder;

    private RedisConfig(Builder b) {
        this.uri = b.uri;
        this.keyPrefix = b.keyPrefix;
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.reconnectDelayMax = b.reconnectDelayMax;
        this.recentCacheSize = b.recentCacheSize;
        this.recentCacheTtl = b.recentCacheTtl;
        this.leaseTtl = b.leaseTtl;
        this.commandLatencyRecorder = b.commandLatencyRecorder;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every default. */
    public static RedisConfig defaults() {
        return builder().build();
    }

    /** A builder holding this configuration's values, to derive a changed copy. */
    public Builder toBuilder() {
        return builder()
                .uri(uri)
                .keyPrefix(keyPrefix)
                .commandTimeout(commandTimeout)
                .connectTimeout(connectTimeout)
                .reconnectDelayMax(reconnectDelayMax)
                .recentCacheSize(recentCacheSize)
                .recentCacheTtl(recentCacheTtl)
                .leaseTtl(leaseTtl)
                .commandLatencyRecorder(commandLatencyRecorder);
    }

    /** The Redis URI, e.g. {@code redis://:secret@host:6379/0} or {@code rediss://host}. */
    public String uri() {
        return uri;
    }

    /** The prefix of every key; a hash tag such as {@code {fatechat}:} keeps all keys in one cluster slot. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** How long one Redis command may take before the call fails. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** How long opening the connection may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The longest pause between reconnect attempts while Redis is down (the back-off grows up to this). */
    public Duration reconnectDelayMax() {
        return reconnectDelayMax;
    }

    /** How many of the newest messages the cache keeps per conversation. */
    public int recentCacheSize() {
        return recentCacheSize;
    }

    /** How long a conversation's cache lives after its last write; bounds Redis memory for idle conversations. */
    public Duration recentCacheTtl() {
        return recentCacheTtl;
    }

    /**
     * The lease a node gets implicitly when it joins a connection before it has renewed a lease of its own.
     * Nodes renew with their own TTL ({@code ChatEngine.Builder.presenceLeaseTtl}); use the same value here.
     */
    public Duration leaseTtl() {
        return leaseTtl;
    }

    /**
     * Where Lettuce records each command's latency, e.g. Lettuce's {@code MicrometerCommandLatencyRecorder}; null
     * (the default) leaves Lettuce's own default. One recorder may serve every store's client.
     */
    public CommandLatencyRecorder commandLatencyRecorder() {
        return commandLatencyRecorder;
    }

    /** The URI without its password, for logs and errors. */
    public String redactedUri() {
        return redact(uri);
    }

    @Override
    public String toString() {
        return "RedisConfig[uri=" + redactedUri() + ", keyPrefix=" + keyPrefix + ", commandTimeout=" + commandTimeout
                + ", connectTimeout=" + connectTimeout + ", reconnectDelayMax=" + reconnectDelayMax
                + ", recentCacheSize=" + recentCacheSize + ", recentCacheTtl=" + recentCacheTtl
                + ", leaseTtl=" + leaseTtl + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisConfig c
                && uri.equals(c.uri)
                && keyPrefix.equals(c.keyPrefix)
                && commandTimeout.equals(c.commandTimeout)
                && connectTimeout.equals(c.connectTimeout)
                && reconnectDelayMax.equals(c.reconnectDelayMax)
                && recentCacheSize == c.recentCacheSize
                && recentCacheTtl.equals(c.recentCacheTtl)
                && leaseTtl.equals(c.leaseTtl)
                && Objects.equals(commandLatencyRecorder, c.commandLatencyRecorder);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                uri,
                keyPrefix,
                commandTimeout,
                connectTimeout,
                reconnectDelayMax,
                recentCacheSize,
                recentCacheTtl,
                leaseTtl,
                commandLatencyRecorder);
    }

    static String redact(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return uri;
        }
        String userInfo = uri.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? "" : userInfo.substring(0, colon);
        return uri.substring(0, scheme + 3) + user + ":***" + uri.substring(at);
    }

    /** Builds a {@link RedisConfig}; each setter rejects a bad value with a message that names it. */
    public static final class Builder {
        private String uri = DEFAULT_URI;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration reconnectDelayMax = Duration.ofSeconds(2);
        private int recentCacheSize = 100;
        private Duration recentCacheTtl = Duration.ofDays(1);
        private Duration leaseTtl = Duration.ofSeconds(30);
        private CommandLatencyRecorder commandLatencyRecorder;

        private Builder() {}

        /** Where Lettuce records command latencies (to meter Redis); null for Lettuce's default. */
        public Builder commandLatencyRecorder(CommandLatencyRecorder commandLatencyRecorder) {
            this.commandLatencyRecorder = commandLatencyRecorder;
            return this;
        }

        /** The Redis URI ({@code redis://}, {@code rediss://} or {@code redis-socket://}). */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            String trimmed = uri.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("uri must not be empty");
            }
            try {
                RedisURI.create(trimmed);
            } catch (RuntimeException e) {
                // neither the parser's message nor its cause may carry the password into a log
                String reason = String.valueOf(e.getMessage()).replace(trimmed, redact(trimmed));
                throw new IllegalArgumentException(
                        "uri is not a Redis URI: '" + redact(trimmed) + "' (" + reason + ")");
            }
            this.uri = trimmed;
            return this;
        }

        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (keyPrefix.isEmpty() || keyPrefix.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(
                        "keyPrefix must be non-empty and free of white space: '" + keyPrefix + "'");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = positive(commandTimeout, "commandTimeout", Duration.ofMinutes(5));
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout", Duration.ofMinutes(5));
            return this;
        }

        public Builder reconnectDelayMax(Duration reconnectDelayMax) {
            this.reconnectDelayMax = positive(reconnectDelayMax, "reconnectDelayMax", Duration.ofMinutes(5));
            return this;
        }

        public Builder recentCacheSize(int recentCacheSize) {
            if (recentCacheSize < 1 || recentCacheSize > MAX_RECENT_CACHE_SIZE) {
                throw new IllegalArgumentException(
                        "recentCacheSize must be between 1 and " + MAX_RECENT_CACHE_SIZE + ": " + recentCacheSize);
            }
            this.recentCacheSize = recentCacheSize;
            return this;
        }

        public Builder recentCacheTtl(Duration recentCacheTtl) {
            Duration ttl = positive(recentCacheTtl, "recentCacheTtl", Duration.ofDays(365));
            if (ttl.toMillis() < 1_000) {
                throw new IllegalArgumentException("recentCacheTtl must be at least 1s: " + ttl);
            }
            this.recentCacheTtl = ttl;
            return this;
        }

        public Builder leaseTtl(Duration leaseTtl) {
            Duration ttl = positive(leaseTtl, "leaseTtl", Duration.ofDays(1));
            if (ttl.toMillis() < 100) {
                throw new IllegalArgumentException("leaseTtl must be at least 100ms: " + ttl);
            }
            this.leaseTtl = ttl;
            return this;
        }

        public RedisConfig build() {
            return new RedisConfig(this);
        }

        private static Duration positive(Duration value, String name, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero() || value.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1ms: " + value);
            }
            if (value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be at most " + max + ": " + value);
            }
            return value;
        }
    }
}
