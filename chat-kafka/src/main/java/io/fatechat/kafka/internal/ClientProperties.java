package io.fatechat.kafka.internal;

import io.fatechat.kafka.KafkaBusConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The property maps of the bus's Kafka clients: bus defaults, then user overrides, then what correctness needs. */
public final class ClientProperties {

    private ClientProperties() {}

    public static Map<String, Object> admin(KafkaBusConfig config, String clientId) {
        Map<String, Object> p = common(config, clientId);
        int timeout = millis(config.startupTimeout().toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 30_000));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        return p;
    }

    public static Map<String, Object> producer(KafkaBusConfig config, String clientId) {
        Map<String, Object> p = common(config, clientId);
        int deliveryTimeout = millis(config.publishTimeout().toMillis());
        // No loss, no duplicates from retries; no batching delay (Kafka 4 waits 5 ms by default).
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeout);
        // send() runs on the bus's own sender thread, so waiting for metadata or buffer space is bounded there.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, deliveryTimeout);
        p.putAll(config.producerProperties());
        if (!config.producerProperties().containsKey(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)) {
            // Kafka refuses delivery.timeout.ms < linger.ms + request.timeout.ms.
            long linger = Long.parseLong(String.valueOf(p.get(ProducerConfig.LINGER_MS_CONFIG)));
            long delivery = Long.parseLong(String.valueOf(p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)));
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(Math.max(1, Math.min(30_000, delivery - linger))));
        }
        p.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        p.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return p;
    }

    /** The producer's {@code buffer.memory} in bytes: the user's setting, else Kafka's default (32 MiB). */
    public static long bufferMemory(KafkaBusConfig config) {
        Object value = config.producerProperties().get(ProducerConfig.BUFFER_MEMORY_CONFIG);
        if (value == null) {
            value = config.clientProperties().get(ProducerConfig.BUFFER_MEMORY_CONFIG);
        }
        if (value == null) {
            return 32L * 1024 * 1024;
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return 0; // the producer refuses it anyway; no direct sends meanwhile
        }
    }

    /** A consumer outside any group: it reads every partition itself and commits nothing. */
    public static Map<String, Object> broadcastConsumer(KafkaBusConfig config, String clientId) {
        Map<String, Object> p = consumer(config, clientId);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return p;
    }

    /** A group member that commits by hand, after its listener returned; a new group reads from the oldest record. */
    public static Map<String, Object> sharedConsumer(KafkaBusConfig config, String clientId, String group) {
        Map<String, Object> p = consumer(config, clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    private static Map<String, Object> consumer(KafkaBusConfig config, String clientId) {
        Map<String, Object> p = common(config, clientId);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        p.putAll(config.consumerProperties());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        p.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        return p;
    }

    private static Map<String, Object> common(KafkaBusConfig config, String clientId) {
        Map<String, Object> p = new HashMap<>(config.clientProperties());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    private static int millis(long ms) {
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }
}
