package io.fatechat.socketio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable settings of the Engine.IO layer: the endpoint, heartbeat, limits, origins and worker pool of a plain
 * {@link EngineIoServer}, and the Engine.IO part of a {@link SocketIoConfig}. Build with {@link #builder()};
 * every setter validates its argument and names the bad value.
 *
 * <p>Defaults follow the Node.js server: path {@code /engine.io/} (a Socket.IO server uses {@code /socket.io/}),
 * ping interval 25 s, ping timeout 20 s, max payload 1,000,000 bytes, upgrade timeout 10 s, same-origin only.
 */
public final class EngineIoConfig {

    /** Allows every browser origin when passed to {@link Builder#allowedOrigins(String...)}. */
    public static final String ANY_ORIGIN = "*";

    private final String path;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final int maxPayload;
    private final Duration upgradeTimeout;
    private final Set<String> allowedOrigins;
    private final int maxQueuedPackets;
    private final long maxQueuedBytes;
    private final int maxInboundQueue;
    private final int workerThreads;
    private final int maxConnectionsPerAddress;
    private final Duration pollProbeInterval;
    private final List<String> trustedProxies;
    private final SocketIoMetrics metrics;

    private EngineIoConfig(Builder b) {
        this.path = b.path;
        this.pingInterval = b.pingInterval;
        this.pingTimeout = b.pingTimeout;
        this.maxPayload = b.maxPayload;
        this.upgradeTimeout = b.upgradeTimeout;
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.maxQueuedPackets = b.maxQueuedPackets;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.maxInboundQueue = b.maxInboundQueue;
        this.workerThreads = b.workerThreads;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.pollProbeInterval = b.pollProbeInterval;
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.metrics = b.metrics;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static EngineIoConfig defaults() {
        return builder().build();
    }

    /** A builder initialised with this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.path = path;
        b.pingInterval = pingInterval;
        b.pingTimeout = pingTimeout;
        b.maxPayload = maxPayload;
        b.upgradeTimeout = upgradeTimeout;
        b.allowedOrigins = new LinkedHashSet<>(allowedOrigins);
        b.maxQueuedPackets = maxQueuedPackets;
        b.maxQueuedBytes = maxQueuedBytes;
        b.maxInboundQueue = maxInboundQueue;
        b.workerThreads = workerThreads;
        b.maxConnectionsPerAddress = maxConnectionsPerAddress;
        b.pollProbeInterval = pollProbeInterval;
        b.trustedProxies = trustedProxies;
        b.metrics = metrics;
        return b;
    }

    /** The URL path of the endpoint, starting and ending with {@code /}, e.g. {@code /socket.io/}. */
    public String path() {
        return path;
    }

    /** How often the server sends a ping. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** How long the server waits for the pong before it closes the connection. */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /** The largest accepted WebSocket message or polling request body, in bytes; larger closes the connection. */
    public int maxPayload() {
        return maxPayload;
    }

    /** How long a polling-to-WebSocket upgrade may take between the probe and the upgrade packet. */
    public Duration upgradeTimeout() {
        return upgradeTimeout;
    }

    /**
     * Browser origins (e.g. {@code https://chat.example.com}) allowed to connect; empty means same origin only
     * (the {@code Origin} must equal the request's scheme, host and port as the container resolved them; see
     * the security note in {@code SOCKETIO-API.md}), {@value #ANY_ORIGIN} allows all. Requests
     * without an {@code Origin} header (non-browser clients) are always allowed.
     */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Outbound packets queued for one connection before it counts as a slow consumer and is disconnected. */
    public int maxQueuedPackets() {
        return maxQueuedPackets;
    }

    /** Outbound bytes queued for one connection before it counts as a slow consumer and is disconnected. */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** Inbound packets of one connection waiting for a worker; more is a flood and closes the connection. */
    public int maxInboundQueue() {
        return maxInboundQueue;
    }

    /** Threads of the worker pool that runs all handlers. */
    public int workerThreads() {
        return workerThreads;
    }

    /**
     * Open sessions one client address may hold; one more handshake (polling or WebSocket) is refused with HTTP 429
     * before any upgrade. The address is the one the container sees (a proxy's, behind one), or the
     * forwarded client's when the proxy is one of {@link #trustedProxies()}.
     */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /**
     * How often a parked long-poll writes a noop packet to find out whether its client is still there (zero: never).
     * Servlet containers do not report an HTTP/1.1 client that closed its connection while its request waits
     * asynchronously; only a failing write does. With probes a vanished polling client is closed within about two
     * intervals instead of at the ping timeout.
     */
    public Duration pollProbeInterval() {
        return pollProbeInterval;
    }

    /**
     * Proxies (addresses or CIDR blocks) whose {@code X-Forwarded-For} is believed; empty (the default) believes
     * none. A request from one of them is the client named by the right-most hop of {@code X-Forwarded-For} that is
     * not itself a trusted proxy: that address is the one logs name and {@link #maxConnectionsPerAddress()} counts.
     */
    public List<String> trustedProxies() {
        return trustedProxies;
    }

    /** Where the server reports connections, packets and errors. */
    public SocketIoMetrics metrics() {
        return metrics;
    }

    @Override
    public String toString() {
        return "EngineIoConfig{path=" + path + ", pingInterval=" + pingInterval + ", pingTimeout=" + pingTimeout
                + ", maxPayload=" + maxPayload + ", upgradeTimeout=" + upgradeTimeout + ", allowedOrigins="
                + allowedOrigins + ", maxQueuedPackets=" + maxQueuedPackets + ", maxQueuedBytes=" + maxQueuedBytes
                + ", maxInboundQueue=" + maxInboundQueue + ", workerThreads=" + workerThreads
                + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress + ", pollProbeInterval=" + pollProbeInterval
                + ", trustedProxies=" + trustedProxies + "}";
    }

    /** Validating builder of {@link EngineIoConfig}. */
    public static final class Builder {
        private String path = "/engine.io/";
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pingTimeout = Duration.ofSeconds(20);
        private int maxPayload = 1_000_000;
        private Duration upgradeTimeout = Duration.ofSeconds(10);
        private Set<String> allowedOrigins = new LinkedHashSet<>();
        private int maxQueuedPackets = 4096;
        private long maxQueuedBytes = 8L * 1024 * 1024;
        private int maxInboundQueue = 1024;
        private int workerThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private SocketIoMetrics metrics = SocketIoMetrics.NOOP;
        private int maxConnectionsPerAddress = 200;
        private Duration pollProbeInterval = Duration.ofMillis(500);
        private List<String> trustedProxies = List.of();

        private Builder() {}

        /** The endpoint path; a missing leading or trailing {@code /} is added. */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            String p = path.trim();
            if (p.isEmpty() || p.equals("/") || p.contains("*") || p.contains("?") || p.contains(" ")) {
                throw new IllegalArgumentException(
                        "path must be a non-root path without wildcards, got '" + path + "'");
            }
            if (!p.startsWith("/")) {
                p = "/" + p;
            }
            if (!p.endsWith("/")) {
                p = p + "/";
            }
            this.path = p;
            return this;
        }

        public Builder pingInterval(Duration value) {
            this.pingInterval = positive("pingInterval", value);
            return this;
        }

        public Builder pingTimeout(Duration value) {
            this.pingTimeout = positive("pingTimeout", value);
            return this;
        }

        public Builder maxPayload(int bytes) {
            if (bytes < 16) {
                throw new IllegalArgumentException("maxPayload must be at least 16 bytes, got " + bytes);
            }
            this.maxPayload = bytes;
            return this;
        }

        public Builder upgradeTimeout(Duration value) {
            this.upgradeTimeout = positive("upgradeTimeout", value);
            return this;
        }

        /**
         * Replaces the allowed browser origins: each is {@value #ANY_ORIGIN} or {@code scheme://host[:port]}
         * without a path. No argument means same origin only.
         */
        public Builder allowedOrigins(String... origins) {
            Objects.requireNonNull(origins, "origins");
            Set<String> set = new LinkedHashSet<>();
            for (String o : origins) {
                if (o == null || o.isBlank()) {
                    throw new IllegalArgumentException("allowed origin must not be blank, got '" + o + "'");
                }
                String v = o.trim();
                if (!v.equals(ANY_ORIGIN) && !v.matches("(?i)[a-z][a-z0-9+.-]*://[^/?#\\s]+")) {
                    throw new IllegalArgumentException(
                            "allowed origin must be '*' or scheme://host[:port] without a path, got '" + o + "'");
                }
                set.add(v.equals(ANY_ORIGIN) ? v : v.toLowerCase(java.util.Locale.ROOT));
            }
            this.allowedOrigins = set;
            return this;
        }

        /** Slow-consumer limit in packets. */
        public Builder maxQueuedPackets(int packets) {
            if (packets < 1) {
                throw new IllegalArgumentException("maxQueuedPackets must be at least 1, got " + packets);
            }
            this.maxQueuedPackets = packets;
            return this;
        }

        /** Slow-consumer limit in bytes. */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxQueuedBytes must be at least 1024, got " + bytes);
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /** Flood limit: inbound packets of one connection waiting for a worker. */
        public Builder maxInboundQueue(int packets) {
            if (packets < 1) {
                throw new IllegalArgumentException("maxInboundQueue must be at least 1, got " + packets);
            }
            this.maxInboundQueue = packets;
            return this;
        }

        public Builder workerThreads(int threads) {
            if (threads < 1 || threads > 1024) {
                throw new IllegalArgumentException("workerThreads must be between 1 and 1024, got " + threads);
            }
            this.workerThreads = threads;
            return this;
        }

        /** Per-address session cap (default 200). */
        public Builder maxConnectionsPerAddress(int sessions) {
            if (sessions < 1) {
                throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1, got " + sessions);
            }
            this.maxConnectionsPerAddress = sessions;
            return this;
        }

        /** Noop probe interval of parked polls (default 500 ms): zero (off) or 50 ms to 60 s. */
        public Builder pollProbeInterval(Duration value) {
            Objects.requireNonNull(value, "pollProbeInterval");
            if (!value.isZero() && (value.toMillis() < 50 || value.toMillis() > 60_000)) {
                throw new IllegalArgumentException(
                        "pollProbeInterval must be zero (off) or between 50 ms and 60 s, got " + value);
            }
            this.pollProbeInterval = value;
            return this;
        }

        /**
         * Replaces the trusted proxies: IP addresses ({@code 10.0.0.5}, {@code ::1}) or CIDR blocks
         * ({@code 10.0.0.0/8}); no argument trusts none. Host names are refused (never looked up).
         */
        public Builder trustedProxies(String... proxies) {
            Objects.requireNonNull(proxies, "proxies");
            List<String> list = new ArrayList<>();
            for (String p : proxies) {
                ClientAddressResolver.parseRange(p);
                list.add(p.trim());
            }
            this.trustedProxies = List.copyOf(list);
            return this;
        }

        public Builder metrics(SocketIoMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The immutable configuration. */
        public EngineIoConfig build() {
            return new EngineIoConfig(this);
        }

        static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero() || value.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 ms, got " + value);
            }
            if (value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " must be below " + Integer.MAX_VALUE + " ms, got " + value);
            }
            return value;
        }
    }
}
