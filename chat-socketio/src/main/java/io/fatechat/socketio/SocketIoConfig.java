package io.fatechat.socketio;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable settings of a {@link SocketIoServer}: those of its Engine.IO layer ({@link #engine()}, an
 * {@link EngineIoConfig}) and those of the Socket.IO layer ({@link #connectTimeout()}, {@link #maxAttachments()}).
 * Build with {@link #builder()}, which sets both; every setter validates its argument and names the bad value.
 *
 * <p>Defaults follow the Node.js server: path {@code /socket.io/}, ping interval 25 s, ping timeout 20 s,
 * max payload 1,000,000 bytes, connect timeout 45 s, upgrade timeout 10 s, same-origin only.
 */
public final class SocketIoConfig {

    /** Allows every browser origin when passed to {@link Builder#allowedOrigins(String...)}. */
    public static final String ANY_ORIGIN = EngineIoConfig.ANY_ORIGIN;

    private final EngineIoConfig engine;
    private final Duration connectTimeout;
    private final int maxAttachments;

    private SocketIoConfig(Builder b) {
        this.engine = b.engine.build();
        this.connectTimeout = b.connectTimeout;
        this.maxAttachments = b.maxAttachments;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder(EngineIoConfig.builder().path("/socket.io/"));
    }

    /** The defaults. */
    public static SocketIoConfig defaults() {
        return builder().build();
    }

    /** A builder initialised with this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder(engine.toBuilder());
        b.connectTimeout = connectTimeout;
        b.maxAttachments = maxAttachments;
        return b;
    }

    /** The settings of the Engine.IO layer underneath. */
    public EngineIoConfig engine() {
        return engine;
    }

    // ---- Socket.IO layer

    /** How long a new connection may stay without joining any namespace before it is closed. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The most binary attachments one Socket.IO packet may carry. */
    public int maxAttachments() {
        return maxAttachments;
    }

    // ---- Engine.IO layer, for convenience (see EngineIoConfig)

    /** @see EngineIoConfig#path() */
    public String path() {
        return engine.path();
    }

    /** @see EngineIoConfig#pingInterval() */
    public Duration pingInterval() {
        return engine.pingInterval();
    }

    /** @see EngineIoConfig#pingTimeout() */
    public Duration pingTimeout() {
        return engine.pingTimeout();
    }

    /** @see EngineIoConfig#maxPayload() */
    public int maxPayload() {
        return engine.maxPayload();
    }

    /** @see EngineIoConfig#upgradeTimeout() */
    public Duration upgradeTimeout() {
        return engine.upgradeTimeout();
    }

    /** @see EngineIoConfig#allowedOrigins() */
    public Set<String> allowedOrigins() {
        return engine.allowedOrigins();
    }

    /** @see EngineIoConfig#maxQueuedPackets() */
    public int maxQueuedPackets() {
        return engine.maxQueuedPackets();
    }

    /** @see EngineIoConfig#maxQueuedBytes() */
    public long maxQueuedBytes() {
        return engine.maxQueuedBytes();
    }

    /** @see EngineIoConfig#maxInboundQueue() */
    public int maxInboundQueue() {
        return engine.maxInboundQueue();
    }

    /** @see EngineIoConfig#workerThreads() */
    public int workerThreads() {
        return engine.workerThreads();
    }

    /** @see EngineIoConfig#maxConnectionsPerAddress() */
    public int maxConnectionsPerAddress() {
        return engine.maxConnectionsPerAddress();
    }

    /** @see EngineIoConfig#pollProbeInterval() */
    public Duration pollProbeInterval() {
        return engine.pollProbeInterval();
    }

    /** @see EngineIoConfig#trustedProxies() */
    public List<String> trustedProxies() {
        return engine.trustedProxies();
    }

    /** @see EngineIoConfig#metrics() */
    public SocketIoMetrics metrics() {
        return engine.metrics();
    }

    @Override
    public String toString() {
        return "SocketIoConfig{path=" + path() + ", pingInterval=" + pingInterval() + ", pingTimeout="
                + pingTimeout() + ", maxPayload=" + maxPayload() + ", connectTimeout=" + connectTimeout
                + ", upgradeTimeout=" + upgradeTimeout() + ", allowedOrigins=" + allowedOrigins()
                + ", maxQueuedPackets=" + maxQueuedPackets() + ", maxQueuedBytes=" + maxQueuedBytes()
                + ", maxInboundQueue=" + maxInboundQueue() + ", maxAttachments=" + maxAttachments
                + ", workerThreads=" + workerThreads() + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress()
                + ", pollProbeInterval=" + pollProbeInterval() + ", trustedProxies=" + trustedProxies() + "}";
    }

    /** Validating builder of {@link SocketIoConfig}: the Engine.IO setters go to an {@link EngineIoConfig.Builder}. */
    public static final class Builder {
        private final EngineIoConfig.Builder engine;
        private Duration connectTimeout = Duration.ofSeconds(45);
        private int maxAttachments = 10;

        private Builder(EngineIoConfig.Builder engine) {
            this.engine = engine;
        }

        /** @see EngineIoConfig.Builder#path(String) */
        public Builder path(String path) {
            engine.path(path);
            return this;
        }

        public Builder pingInterval(Duration value) {
            engine.pingInterval(value);
            return this;
        }

        public Builder pingTimeout(Duration value) {
            engine.pingTimeout(value);
            return this;
        }

        public Builder maxPayload(int bytes) {
            engine.maxPayload(bytes);
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = EngineIoConfig.Builder.positive("connectTimeout", value);
            return this;
        }

        public Builder upgradeTimeout(Duration value) {
            engine.upgradeTimeout(value);
            return this;
        }

        /** @see EngineIoConfig.Builder#allowedOrigins(String...) */
        public Builder allowedOrigins(String... origins) {
            engine.allowedOrigins(origins);
            return this;
        }

        /** Slow-consumer limit in packets. */
        public Builder maxQueuedPackets(int packets) {
            engine.maxQueuedPackets(packets);
            return this;
        }

        /** Slow-consumer limit in bytes. */
        public Builder maxQueuedBytes(long bytes) {
            engine.maxQueuedBytes(bytes);
            return this;
        }

        /** Flood limit: inbound packets of one connection waiting for a worker. */
        public Builder maxInboundQueue(int packets) {
            engine.maxInboundQueue(packets);
            return this;
        }

        public Builder maxAttachments(int attachments) {
            if (attachments < 0 || attachments > 1000) {
                throw new IllegalArgumentException("maxAttachments must be between 0 and 1000, got " + attachments);
            }
            this.maxAttachments = attachments;
            return this;
        }

        public Builder workerThreads(int threads) {
            engine.workerThreads(threads);
            return this;
        }

        /** @see EngineIoConfig.Builder#maxConnectionsPerAddress(int) */
        public Builder maxConnectionsPerAddress(int sessions) {
            engine.maxConnectionsPerAddress(sessions);
            return this;
        }

        /** @see EngineIoConfig.Builder#pollProbeInterval(Duration) */
        public Builder pollProbeInterval(Duration value) {
            engine.pollProbeInterval(value);
            return this;
        }

        /** @see EngineIoConfig.Builder#trustedProxies(String...) */
        public Builder trustedProxies(String... proxies) {
            engine.trustedProxies(proxies);
            return this;
        }

        public Builder metrics(SocketIoMetrics metrics) {
            engine.metrics(Objects.requireNonNull(metrics, "metrics"));
            return this;
        }

        /** The immutable configuration. */
        public SocketIoConfig build() {
            return new SocketIoConfig(this);
        }
    }
}
