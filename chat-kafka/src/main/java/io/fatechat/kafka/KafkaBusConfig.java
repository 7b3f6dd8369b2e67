package io.fatechat.kafka;

import io.fatechat.spi.BusTopic;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Immutable settings of a {@link KafkaMessageBus}. Build with {@link #builder(String)}; every setter checks its
 * argument and names the bad value in the {@link IllegalArgumentException}.
 *
 * <p>Only the bootstrap servers are required. Client property overrides are applied on top of the bus's own
 * settings, except the few the bus depends on for correctness (serializers, {@code enable.auto.commit},
 * {@code group.id}), which are always the bus's.
 */
public final class KafkaBusConfig {

    /** Default topic of room and private messages. */
    public static final String DEFAULT_MESSAGES_TOPIC = "chat-messages";
    /** Default topic of presence and typing events. */
    public static final String DEFAULT_EVENTS_TOPIC = "chat-events";

    // Kafka's own rule for topic names (Topic.validate): legal characters, at most 249 of them.
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern CLIENT_ID = Pattern.compile("[a-zA-Z0-9._-]{1,100}");

    private final String bootstrapServers;
    private final String messagesTopic;
    private final String eventsTopic;
    private final int partitions;
    private final Optional<Short> replicationFactor;
    private final String nodeId;
    private final String clientId;
    private final Map<String, Object> clientProperties;
    private final Map<String, Object> producerProperties;
    private final Map<String, Object> consumerProperties;
    private final Duration publishTimeout;
    private final int maxQueuedPublishes;
    private final Duration retryBackoff;
    private final Duration maxRetryBackoff;
    private final Duration startupTimeout;
    private final Duration closeTimeout;
    private final Duration pollTimeout;

    private KafkaBusConfig(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.messagesTopic = b.messagesTopic;
        this.eventsTopic = b.eventsTopic;
        this.partitions = b.partitions;
        this.replicationFactor = b.replicationFactor;
        this.nodeId = b.nodeId != null ? b.nodeId : UUID.randomUUID().toString().substring(0, 8);
        this.clientId = b.clientId != null ? b.clientId : "fatechat-" + this.nodeId;
        this.clientProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.clientProperties));
        this.producerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.producerProperties));
        this.consumerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.consumerProperties));
        this.publishTimeout = b.publishTimeout;
        this.maxQueuedPublishes = b.maxQueuedPublishes;
        this.retryBackoff = b.retryBackoff;
        this.maxRetryBackoff = b.maxRetryBackoff;
        this.startupTimeout = b.startupTimeout;
        this.closeTimeout = b.closeTimeout;
        this.pollTimeout = b.pollTimeout;
    }

    /** A builder for a bus that connects to {@code bootstrapServers} ({@code host:port[,host:port...]}). */
    public static Builder builder(String bootstrapServers) {
        return new Builder().bootstrapServers(bootstrapServers);
    }

    /** Kafka's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The Kafka topic carrying {@code topic}. */
    public String topicName(BusTopic topic) {
        return switch (Objects.requireNonNull(topic, "topic")) {
            case MESSAGES -> messagesTopic;
            case EVENTS -> eventsTopic;
        };
    }

    public String messagesTopic() {
        return messagesTopic;
    }

    public String eventsTopic() {
        return eventsTopic;
    }

    /** Partitions of a topic the bus creates; existing topics are left as they are. */
    public int partitions() {
        return partitions;
    }

    /** Replication factor of a topic the bus creates; empty means the broker's {@code default.replication.factor}. */
    public Optional<Short> replicationFactor() {
        return replicationFactor;
    }

    /** This node's id; part of every client id. */
    public String nodeId() {
        return nodeId;
    }

    /** Prefix of the {@code client.id} of every Kafka client the bus opens. */
    public String clientId() {
        return clientId;
    }

    /** Properties for every client (admin, producer, consumers): security settings belong here. */
    public Map<String, Object> clientProperties() {
        return clientProperties;
    }

    public Map<String, Object> producerProperties() {
        return producerProperties;
    }

    public Map<String, Object> consumerProperties() {
        return consumerProperties;
    }

    /**
     * How long a publish may take, from the call to the broker's acknowledgement, before it fails with
     * {@code BackendUnavailableException}: one deadline over queueing, {@code max.block.ms} and
     * {@code delivery.timeout.ms} (each of which is set to it too).
     */
    public Duration publishTimeout() {
        return publishTimeout;
    }

    /** Publishes waiting to be handed to the producer; beyond this, publish fails fast. */
    public int maxQueuedPublishes() {
        return maxQueuedPublishes;
    }

    /** First pause before a failed batch of a shared subscription is delivered again; doubles up to {@link #maxRetryBackoff()}. */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration maxRetryBackoff() {
        return maxRetryBackoff;
    }

    /** Bound on creating topics at start and on making a broadcast subscription live. */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** Bound on each step of {@code close()}: stopping a consumer, flushing the producer. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** Longest single {@code poll} of a consumer thread. */
    public Duration pollTimeout() {
        return pollTimeout;
    }

    @Override
    public String toString() {
        // Property values may hold credentials (sasl.jaas.config): only their names are shown.
        return "KafkaBusConfig{bootstrapServers=" + bootstrapServers + ", messagesTopic=" + messagesTopic
                + ", eventsTopic=" + eventsTopic + ", partitions=" + partitions
                + ", replicationFactor="
                + replicationFactor.map(String::valueOf).orElse("broker default")
                + ", nodeId=" + nodeId + ", clientId=" + clientId
                + ", clientProperties=" + clientProperties.keySet()
                + ", producerProperties=" + producerProperties.keySet()
                + ", consumerProperties=" + consumerProperties.keySet()
                + ", publishTimeout=" + publishTimeout + ", maxQueuedPublishes=" + maxQueuedPublishes
                + ", retryBackoff=" + retryBackoff + ", maxRetryBackoff=" + maxRetryBackoff
                + ", startupTimeout=" + startupTimeout + ", closeTimeout=" + closeTimeout
                + ", pollTimeout=" + pollTimeout + '}';
    }

    /** Builds a {@link KafkaBusConfig}. Not thread-safe. */
    public static final class Builder {
        private String bootstrapServers;
        private String messagesTopic = DEFAULT_MESSAGES_TOPIC;
        private String eventsTopic = DEFAULT_EVENTS_TOPIC;
        private int partitions = 6;
        private Optional<Short> replicationFactor = Optional.empty();
        private String nodeId;
        private String clientId;
        private final Map<String, Object> clientProperties = new LinkedHashMap<>();
        private final Map<String, Object> producerProperties = new LinkedHashMap<>();
        private final Map<String, Object> consumerProperties = new LinkedHashMap<>();
        private Duration publishTimeout = Duration.ofSeconds(30);
        private int maxQueuedPublishes = 10_000;
        private Duration retryBackoff = Duration.ofMillis(500);
        private Duration maxRetryBackoff = Duration.ofSeconds(30);
        private Duration startupTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Duration pollTimeout = Duration.ofMillis(500);

        private Builder() {}

        public Builder bootstrapServers(String servers) {
            if (servers == null || servers.isBlank()) {
                throw new IllegalArgumentException(
                        "bootstrapServers must be host:port[,host:port...], got: " + quote(servers));
            }
            for (String server : servers.split(",")) {
                String s = server.trim();
                int colon = s.lastIndexOf(':');
                if (colon <= 0
                        || colon == s.length() - 1
                        || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException(
                            "bootstrapServers must be host:port[,host:port...], got: " + quote(servers));
                }
            }
            this.bootstrapServers = servers.trim();
            return this;
        }

        public Builder messagesTopic(String name) {
            this.messagesTopic = topic("messagesTopic", name);
            return this;
        }

        public Builder eventsTopic(String name) {
            this.eventsTopic = topic("eventsTopic", name);
            return this;
        }

        /** Partitions of topics the bus creates, 1 or more (default 6). */
        public Builder partitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got: " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** Replication factor of topics the bus creates, 1 or more; unset means the broker default. */
        public Builder replicationFactor(int factor) {
            if (factor < 1 || factor > Short.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "replicationFactor must be between 1 and " + Short.MAX_VALUE + ", got: " + factor);
            }
            this.replicationFactor = Optional.of((short) factor);
            return this;
        }

        /** This node's id (letters, digits, '.', '_', '-'); random when unset. */
        public Builder nodeId(String nodeId) {
            this.nodeId = clientIdLike("nodeId", nodeId);
            return this;
        }

        /** Prefix of every client id; {@code fatechat-<nodeId>} when unset. */
        public Builder clientId(String clientId) {
            this.clientId = clientIdLike("clientId", clientId);
            return this;
        }

        /** Adds a property for every Kafka client (admin, producer, consumers), e.g. {@code security.protocol}. */
        public Builder clientProperty(String name, Object value) {
            put("clientProperty", clientProperties, name, value);
            return this;
        }

        /** Adds producer properties, overriding the bus's defaults ({@code linger.ms}, {@code compression.type}...). */
        public Builder producerProperty(String name, Object value) {
            put("producerProperty", producerProperties, name, value);
            return this;
        }

        /** Adds consumer properties, overriding the bus's defaults ({@code max.poll.records}...). */
        public Builder consumerProperty(String name, Object value) {
            put("consumerProperty", consumerProperties, name, value);
            return this;
        }

        public Builder clientProperties(Map<String, ?> properties) {
            Objects.requireNonNull(properties, "clientProperties").forEach(this::clientProperty);
            return this;
        }

        public Builder producerProperties(Map<String, ?> properties) {
            Objects.requireNonNull(properties, "producerProperties").forEach(this::producerProperty);
            return this;
        }

        public Builder consumerProperties(Map<String, ?> properties) {
            Objects.requireNonNull(properties, "consumerProperties").forEach(this::consumerProperty);
            return this;
        }

        /** At least 1 s (default 30 s): a publish not acknowledged by then (counted from the call) fails. */
        public Builder publishTimeout(Duration timeout) {
            this.publishTimeout = atLeast("publishTimeout", timeout, Duration.ofSeconds(1));
            return this;
        }

        /** At least 1 (default 10 000). */
        public Builder maxQueuedPublishes(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxQueuedPublishes must be at least 1, got: " + max);
            }
            this.maxQueuedPublishes = max;
            return this;
        }

        /** At least 1 ms (default 500 ms). */
        public Builder retryBackoff(Duration backoff) {
            this.retryBackoff = atLeast("retryBackoff", backoff, Duration.ofMillis(1));
            return this;
        }

        /** At least 1 ms (default 30 s); must not be below {@link #retryBackoff}. */
        public Builder maxRetryBackoff(Duration backoff) {
            this.maxRetryBackoff = atLeast("maxRetryBackoff", backoff, Duration.ofMillis(1));
            return this;
        }

        /** At least 1 s (default 30 s). */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = atLeast("startupTimeout", timeout, Duration.ofSeconds(1));
            return this;
        }

        /** At least 0 (default 10 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = atLeast("closeTimeout", timeout, Duration.ZERO);
            return this;
        }

        /** At least 10 ms (default 500 ms). */
        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = atLeast("pollTimeout", timeout, Duration.ofMillis(10));
            return this;
        }

        /**
         * Builds the config.
         *
         * @throws IllegalArgumentException when the settings contradict each other
         */
        public KafkaBusConfig build() {
            if (messagesTopic.equals(eventsTopic)) {
                throw new IllegalArgumentException(
                        "messagesTopic and eventsTopic must differ, both are: " + quote(messagesTopic));
            }
            if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
                throw new IllegalArgumentException("maxRetryBackoff (" + maxRetryBackoff
                        + ") must not be below retryBackoff (" + retryBackoff + ")");
            }
            return new KafkaBusConfig(this);
        }

        private static String topic(String what, String name) {
            if (name == null || !TOPIC_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException(what + " must be 1-249 of [a-zA-Z0-9._-], got: " + quote(name));
            }
            return name;
        }

        private static String clientIdLike(String what, String value) {
            if (value == null || !CLIENT_ID.matcher(value).matches()) {
                throw new IllegalArgumentException(what + " must be 1-100 of [a-zA-Z0-9._-], got: " + quote(value));
            }
            return value;
        }

        private static void put(String what, Map<String, Object> map, String name, Object value) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(what + " name must not be blank, got: " + quote(name));
            }
            if (value == null) {
                throw new IllegalArgumentException(what + " " + name + " must not be null");
            }
            map.put(name, value);
        }

        private static Duration atLeast(String what, Duration value, Duration min) {
            if (value == null || value.compareTo(min) < 0) {
                throw new IllegalArgumentException(what + " must be at least " + min + ", got: " + value);
            }
            return value;
        }

        private static String quote(String s) {
            return s == null ? "null" : "\"" + s + "\"";
        }
    }
}
