package io.fatechat.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Told when the bus creates a Kafka client and when it closes one, e.g. to bind each client's metrics to a
 * metrics library (Micrometer's {@code KafkaClientMetrics}) without this module depending on it. Called on the
 * thread that creates or closes the client; it must return quickly, and what it throws is logged and ignored.
 */
public interface KafkaClientListener {

    /** Tells nothing. */
    KafkaClientListener NONE = new KafkaClientListener() {};

    /** The bus's producer was created; it lives until the bus closes. */
    default void producerAdded(String clientId, Producer<?, ?> producer) {}

    /** A subscription's consumer was created; use it only to read its metrics (it is not thread-safe). */
    default void consumerAdded(String clientId, Consumer<?, ?> consumer) {}

    /** The client of {@code clientId} closed (or is closing): its metrics are going away. */
    default void clientRemoved(String clientId) {}
}
