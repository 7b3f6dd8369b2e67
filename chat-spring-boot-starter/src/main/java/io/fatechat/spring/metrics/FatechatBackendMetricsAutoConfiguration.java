package io.fatechat.spring.metrics;

import io.fatechat.kafka.KafkaClientListener;
import io.fatechat.spring.FatechatKafkaAutoConfiguration;
import io.fatechat.spring.FatechatRedisAutoConfiguration;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer meters of the backends' own clients, when the host has a {@link MeterRegistry}: Micrometer's
 * {@code KafkaClientMetrics} ({@code kafka.producer.*}, {@code kafka.consumer.*}) for each client of the Kafka
 * bus, and Lettuce's {@code lettuce.command.completion} and {@code lettuce.command.firstresponse} timers for the
 * Redis stores. The backend modules do not depend on Micrometer: the bus tells a {@link KafkaClientListener} of
 * its clients, the Redis stores take a {@link CommandLatencyRecorder}; a host's own bean of either type wins.
 */
@AutoConfiguration(
        before = {FatechatKafkaAutoConfiguration.class, FatechatRedisAutoConfiguration.class},
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
            // the same three on Spring Boot 3.5
            "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class FatechatBackendMetricsAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {"io.fatechat.kafka.KafkaMessageBus", "io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics"
            })
    static class Kafka {

        @Bean
        @ConditionalOnMissingBean(KafkaClientListener.class)
        MicrometerKafkaClients fatechatKafkaClientMetrics(MeterRegistry registry) {
            return new MicrometerKafkaClients(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {"io.fatechat.redis.RedisPresenceStore", "io.lettuce.core.metrics.MicrometerCommandLatencyRecorder"})
    static class Redis {

        @Bean
        @ConditionalOnMissingBean(CommandLatencyRecorder.class)
        MicrometerCommandLatencyRecorder fatechatRedisCommandLatencyRecorder(MeterRegistry registry) {
            return new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.create());
        }
    }
}
