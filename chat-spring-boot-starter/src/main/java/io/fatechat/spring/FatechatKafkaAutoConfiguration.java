package io.fatechat.spring;

import static io.fatechat.spring.BuilderSetter.set;
import static io.fatechat.spring.BuilderSetter.setIfPresent;

import io.fatechat.kafka.KafkaBusConfig;
import io.fatechat.kafka.KafkaClientListener;
import io.fatechat.kafka.KafkaMessageBus;
import io.fatechat.spi.MessageBus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The Kafka message bus, when {@code chat-kafka} is on the class path and {@code fatechat.kafka.bootstrap-servers}
 * (or {@code FATECHAT_KAFKA_BOOTSTRAP_SERVERS}) is set. Backs off when the host defines its own {@link MessageBus}.
 */
@AutoConfiguration
@ConditionalOnClass(KafkaMessageBus.class)
@ConditionalOnProperty(prefix = "fatechat.kafka", name = "bootstrap-servers")
@EnableConfigurationProperties(FatechatKafkaProperties.class)
public class FatechatKafkaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public KafkaBusConfig fatechatKafkaBusConfig(FatechatKafkaProperties k, FatechatNodeId nodeId) {
        String p = "fatechat.kafka.";
        KafkaBusConfig.Builder b = KafkaBusConfig.builder("localhost:9092");
        set(p + "bootstrap-servers", k.getBootstrapServers().trim(), b::bootstrapServers);
        b.nodeId(nodeId.value());
        set(p + "messages-topic", k.getMessagesTopic(), b::messagesTopic);
        set(p + "events-topic", k.getEventsTopic(), b::eventsTopic);
        set(p + "partitions", k.getPartitions(), b::partitions);
        setIfPresent(p + "replication-factor", k.getReplicationFactor(), b::replicationFactor);
        setIfPresent(p + "client-id", k.getClientId(), b::clientId);
        set(p + "publish-timeout", k.getPublishTimeout(), b::publishTimeout);
        set(p + "max-queued-publishes", k.getMaxQueuedPublishes(), b::maxQueuedPublishes);
        set(p + "retry-backoff", k.getRetryBackoff(), b::retryBackoff);
        set(p + "max-retry-backoff", k.getMaxRetryBackoff(), b::maxRetryBackoff);
        set(p + "startup-timeout", k.getStartupTimeout(), b::startupTimeout);
        set(p + "close-timeout", k.getCloseTimeout(), b::closeTimeout);
        k.getProperties()
                .forEach((name, value) -> set(p + "properties." + name, value, v -> b.clientProperty(name, v)));
        k.getProducerProperties()
                .forEach((name, value) ->
                        set(p + "producer-properties." + name, value, v -> b.producerProperty(name, v)));
        k.getConsumerProperties()
                .forEach((name, value) ->
                        set(p + "consumer-properties." + name, value, v -> b.consumerProperty(name, v)));
        return BuilderSetter.build("fatechat.kafka", b::build);
    }

    @Bean
    @ConditionalOnMissingBean(MessageBus.class)
    public KafkaMessageBus fatechatKafkaMessageBus(KafkaBusConfig config, ObjectProvider<KafkaClientListener> clients) {
        // a listener meters the bus's clients (FatechatBackendMetricsAutoConfiguration)
        return KafkaMessageBus.start(config, clients.getIfAvailable(() -> KafkaClientListener.NONE));
    }
}
