package io.fatechat.spring.metrics;

import io.fatechat.kafka.KafkaClientListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.beans.factory.DisposableBean;

/**
 * Binds each Kafka client of the bus to Micrometer ({@link KafkaClientMetrics}) while it lives, and unbinds it
 * (removing its meters) when the bus closes it.
 */
public final class MicrometerKafkaClients implements KafkaClientListener, DisposableBean {

    private final MeterRegistry registry;
    private final Map<String, KafkaClientMetrics> bound = new ConcurrentHashMap<>();
    /** One thread for every client's metric refresh, rather than Micrometer's one per client. */
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "fatechat-kafka-metrics");
        thread.setDaemon(true);
        return thread;
    });

    public MicrometerKafkaClients(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void producerAdded(String clientId, Producer<?, ?> producer) {
        bind(clientId, new KafkaClientMetrics(producer, List.of(), refresher));
    }

    @Override
    public void consumerAdded(String clientId, Consumer<?, ?> consumer) {
        bind(clientId, new KafkaClientMetrics(consumer, List.of(), refresher));
    }

    @Override
    public void clientRemoved(String clientId) {
        KafkaClientMetrics metrics = bound.remove(clientId);
        if (metrics != null) {
            metrics.close();
        }
    }

    private void bind(String clientId, KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        KafkaClientMetrics previous = bound.put(clientId, metrics);
        if (previous != null) {
            previous.close();
        }
    }

    @Override
    public void destroy() {
        bound.keySet().forEach(this::clientRemoved);
        refresher.shutdownNow();
    }
}
