package io.fatechat.kafka;

import io.fatechat.kafka.internal.BroadcastConsumer;
import io.fatechat.kafka.internal.ClientProperties;
import io.fatechat.kafka.internal.RecordSender;
import io.fatechat.kafka.internal.SharedConsumer;
import io.fatechat.kafka.internal.TopicCreator;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.BatchListener;
import io.fatechat.spi.BroadcastListener;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusSubscription;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.MessageBus;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageBus} on Apache Kafka: {@link BusTopic#MESSAGES} and {@link BusTopic#EVENTS} map to two topics
 * (by default {@code chat-messages} and {@code chat-events}), the record key to the Kafka key, so each
 * conversation stays in one partition and in order.
 *
 * <ul>
 *   <li>{@link #publish} uses an idempotent producer with {@code acks=all} and completes once every in-sync
 *       replica has the record. The stage completes on a Kafka client thread: chain blocking work with the
 *       {@code *Async} methods.</li>
 *   <li>A broadcast subscription is a consumer outside any group that reads every partition from the end and
 *       commits nothing; a shared subscription is a consumer-group member ({@code group.id} = the group) that
 *       commits after its listener returned.</li>
 *   <li>While Kafka is unreachable, publishes fail after the publish timeout, consumers keep retrying, and
 *       everything resumes by itself when the broker is back.</li>
 * </ul>
 *
 * <pre>{@code
 * MessageBus bus = KafkaMessageBus.start(KafkaBusConfig.builder("localhost:9092").nodeId("node-a").build());
 * }</pre>
 */
public final class KafkaMessageBus implements MessageBus {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaMessageBus.class);
    private static final String COMPONENT = "KafkaMessageBus";

    private final KafkaBusConfig config;
    private final RecordSender sender;
    private final Set<BusSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger clientCounter = new AtomicInteger();
    private final KafkaClientListener clients;
    private volatile boolean closed;

    private KafkaMessageBus(KafkaBusConfig config, Producer<String, byte[]> producer, KafkaClientListener clients) {
        this.config = config;
        this.clients = clients;
        this.sender = new RecordSender(
                producer,
                COMPONENT,
                config.clientId() + "-sender",
                config.publishTimeout(),
                config.maxQueuedPublishes(),
                ClientProperties.bufferMemory(config));
    }

    /**
     * Connects to Kafka, creates the topics that are missing and returns a ready bus. Blocks up to the startup
     * timeout.
     *
     * @throws BackendUnavailableException when Kafka cannot be reached or refuses to create the topics
     */
    public static KafkaMessageBus start(KafkaBusConfig config) {
        return start(config, KafkaClientListener.NONE);
    }

    /**
     * As {@link #start(KafkaBusConfig)}, telling {@code clients} of every producer and consumer the bus creates
     * and closes (to meter them).
     */
    public static KafkaMessageBus start(KafkaBusConfig config, KafkaClientListener clients) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clients, "clients");
        TopicCreator.ensureTopics(config, List.of(config.messagesTopic(), config.eventsTopic()));
        Producer<String, byte[]> producer;
        try {
            producer = new KafkaProducer<>(
                    ClientProperties.producer(config, producerClientId(config)),
                    new StringSerializer(),
                    new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new IllegalArgumentException("invalid Kafka producer configuration: " + e.getMessage(), e);
        }
        try {
            // Loads the topics' metadata now, so the first publishes do not wait for it.
            producer.partitionsFor(config.messagesTopic());
            producer.partitionsFor(config.eventsTopic());
        } catch (RuntimeException e) {
            producer.close(java.time.Duration.ZERO);
            throw new BackendUnavailableException("kafka", "no metadata for the bus topics: " + e.getMessage(), e);
        }
        LOG.info("Kafka message bus started: {}", config);
        KafkaMessageBus bus = new KafkaMessageBus(config, producer, clients);
        tell(() -> clients.producerAdded(producerClientId(config), producer));
        return bus;
    }

    public KafkaBusConfig config() {
        return config;
    }

    @Override
    public CompletionStage<Void> publish(BusRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            return CompletableFuture.failedFuture(new ClosedException(COMPONENT));
        }
        return sender.send(new ProducerRecord<>(config.topicName(record.topic()), record.key(), record.payload()));
    }

    @Override
    public BusSubscription subscribeBroadcast(BusTopic topic, BroadcastListener listener) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(listener, "listener");
        checkOpen();
        String clientId = clientId("broadcast-" + topic.name().toLowerCase(java.util.Locale.ROOT));
        BroadcastConsumer[] self = new BroadcastConsumer[1];
        BroadcastConsumer subscription = BroadcastConsumer.start(
                newConsumer(ClientProperties.broadcastConsumer(config, clientId)),
                topic,
                config.topicName(topic),
                listener,
                config.pollTimeout(),
                config.startupTimeout(),
                config.closeTimeout(),
                clientId,
                () -> closed(clientId, self[0]));
        self[0] = subscription;
        return register(subscription);
    }

    @Override
    public BusSubscription subscribeShared(BusTopic topic, String group, BatchListener listener) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(listener, "listener");
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException(
                    "group must not be blank, got: " + (group == null ? "null" : "\"" + group + "\""));
        }
        checkOpen();
        String clientId = clientId("shared-" + topic.name().toLowerCase(java.util.Locale.ROOT));
        SharedConsumer[] self = new SharedConsumer[1];
        SharedConsumer subscription = new SharedConsumer(
                newConsumer(ClientProperties.sharedConsumer(config, clientId, group)),
                topic,
                config.topicName(topic),
                group,
                listener,
                config.pollTimeout(),
                config.closeTimeout(),
                config.retryBackoff(),
                config.maxRetryBackoff(),
                clientId,
                () -> closed(clientId, self[0]));
        self[0] = subscription;
        register(subscription);
        return subscription.start();
    }

    private BusSubscription register(BusSubscription subscription) {
        subscriptions.add(subscription);
        if (closed) { // close() ran meanwhile and may have missed it
            subscription.close();
            throw new ClosedException(COMPONENT);
        }
        return subscription;
    }

    private String clientId(String role) {
        return config.clientId() + "-" + role + "-" + clientCounter.incrementAndGet();
    }

    private Consumer<String, byte[]> newConsumer(java.util.Map<String, Object> properties) {
        Consumer<String, byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            throw new IllegalArgumentException("invalid Kafka consumer configuration: " + e.getMessage(), e);
        }
        tell(() -> clients.consumerAdded(String.valueOf(properties.get(ConsumerConfig.CLIENT_ID_CONFIG)), consumer));
        return consumer;
    }

    /** A subscription ended: its consumer is closed. */
    private void closed(String clientId, BusSubscription subscription) {
        tell(() -> clients.clientRemoved(clientId));
        if (subscription != null) { // null when subscribing failed
            subscriptions.remove(subscription);
        }
    }

    private static String producerClientId(KafkaBusConfig config) {
        return config.clientId() + "-producer";
    }

    /** Runs a {@link KafkaClientListener} call: a failing listener must not break the bus. */
    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("A KafkaClientListener failed", e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException(COMPONENT);
        }
    }

    /**
     * Stops every subscription (each within the close timeout), lets records already handed to the producer be
     * acknowledged within the close timeout, and fails the remaining publishes with {@link ClosedException}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (BusSubscription s : List.copyOf(subscriptions)) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing a subscription failed", e);
            }
        }
        sender.close(config.closeTimeout());
        tell(() -> clients.clientRemoved(producerClientId(config)));
        LOG.info("Kafka message bus of node {} closed", config.nodeId());
    }
}
