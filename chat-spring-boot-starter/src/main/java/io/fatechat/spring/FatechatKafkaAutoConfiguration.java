package io.fatechat.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.fatechat.kafka.KafkaBusConfig;
import io.fatechat.kafka.KafkaMessageBus;
import io.fatechat.spi.MessageBus;

/**
 * The Kafka message bus, when {@code chat-kafka} is on the class path and {@code fatechat.kafka.bootstrap-servers}
 * (or {@code FATECHAT_KAFKA_BOOTSTRAP_SERVERS}) is set. Backs off when the host defines its own {@link MessageBus}.
 */
@AutoConfiguration
@ConditionalOnClass(KafkaMessageBus.class)
@ConditionalOnProperty(prefix = "fatechat.kafka", name = "bootstrap-servers")
@EnableConfigurationProperties(FatechatProperties.class)
public class FatechatKafkaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public KafkaBusConfig fatechatKafkaBusConfig(FatechatProperties properties, FatechatNodeId nodeId) {
        FatechatProperties.Kafka k = properties.getKafka();
        KafkaBusConfig.Builder builder = KafkaBusConfig.builder(k.getBootstrapServers().trim())
                .nodeId(nodeId.value())
                .messagesTopic(k.getMessagesTopic())
                .eventsTopic(k.getEventsTopic())
                .partitions(k.getPartitions())
                .publishTimeout(k.getPublishTimeout());
        if (k.getReplicationFactor() != null) {
            builder.replicationFactor(k.getReplicationFactor());
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean(MessageBus.class)
    public KafkaMessageBus fatechatKafkaMessageBus(KafkaBusConfig config) {
        return KafkaMessageBus.start(config);
    }
}
