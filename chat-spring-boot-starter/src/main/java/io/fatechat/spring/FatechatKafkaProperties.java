package io.fatechat.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Kafka message bus ({@code fatechat.kafka.*}, chat-kafka on the class path). Defaults are
 * {@code KafkaBusConfig}'s ({@code FatechatKafkaAutoConfigurationTest} checks they agree).
 */
@ConfigurationProperties(prefix = "fatechat.kafka")
public class FatechatKafkaProperties {

    /** Kafka bootstrap servers (host:port[,host:port...]); setting it switches the message bus to Kafka. */
    private String bootstrapServers;

    /** Topic of room and private messages. */
    private String messagesTopic = "chat-messages";

    /** Topic of presence and typing events. */
    private String eventsTopic = "chat-events";

    /** Partitions of topics the bus creates (existing topics are left as they are). */
    private int partitions = 6;

    /** Replication factor of topics the bus creates; unset means the broker's default. */
    private Integer replicationFactor;

    /** Prefix of the client.id of every Kafka client the bus opens; fatechat-{node-id} when unset. */
    private String clientId;

    /** How long a publish may take before the send fails as unavailable (Kafka's delivery.timeout.ms). */
    private Duration publishTimeout = Duration.ofSeconds(30);

    /** Publishes waiting to be handed to the producer; beyond this, a publish fails fast. */
    private int maxQueuedPublishes = 10_000;

    /** First pause before a failed batch of the persister is delivered again; doubles up to max-retry-backoff. */
    private Duration retryBackoff = Duration.ofMillis(500);

    /** Longest pause between redeliveries of a failed persister batch. */
    private Duration maxRetryBackoff = Duration.ofSeconds(30);

    /** Bound on creating topics at start and on making the broadcast subscription live. */
    private Duration startupTimeout = Duration.ofSeconds(30);

    /** Bound on each step of closing the bus: stopping a consumer, flushing the producer. */
    private Duration closeTimeout = Duration.ofSeconds(10);

    /**
     * Kafka client properties for every client the bus opens (admin, producer, consumers), e.g.
     * fatechat.kafka.properties.security.protocol=SASL_SSL or fatechat.kafka.properties.sasl.jaas.config=...
     */
    private Map<String, String> properties = new LinkedHashMap<>();

    /** Kafka producer properties, over the bus's own (linger.ms, compression.type, ...). */
    private Map<String, String> producerProperties = new LinkedHashMap<>();

    /** Kafka consumer properties, over the bus's own (max.poll.records, ...). */
    private Map<String, String> consumerProperties = new LinkedHashMap<>();

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getMessagesTopic() {
        return messagesTopic;
    }

    public void setMessagesTopic(String messagesTopic) {
        this.messagesTopic = messagesTopic;
    }

    public String getEventsTopic() {
        return eventsTopic;
    }

    public void setEventsTopic(String eventsTopic) {
        this.eventsTopic = eventsTopic;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public Integer getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(Integer replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public Duration getPublishTimeout() {
        return publishTimeout;
    }

    public void setPublishTimeout(Duration publishTimeout) {
        this.publishTimeout = publishTimeout;
    }

    public int getMaxQueuedPublishes() {
        return maxQueuedPublishes;
    }

    public void setMaxQueuedPublishes(int maxQueuedPublishes) {
        this.maxQueuedPublishes = maxQueuedPublishes;
    }

    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    public Duration getMaxRetryBackoff() {
        return maxRetryBackoff;
    }

    public void setMaxRetryBackoff(Duration maxRetryBackoff) {
        this.maxRetryBackoff = maxRetryBackoff;
    }

    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public Map<String, String> getProperties() {
        return properties;
    }

    public void setProperties(Map<String, String> properties) {
        this.properties = properties;
    }

    public Map<String, String> getProducerProperties() {
        return producerProperties;
    }

    public void setProducerProperties(Map<String, String> producerProperties) {
        this.producerProperties = producerProperties;
    }

    public Map<String, String> getConsumerProperties() {
        return consumerProperties;
    }

    public void setConsumerProperties(Map<String, String> consumerProperties) {
        this.consumerProperties = consumerProperties;
    }
}
