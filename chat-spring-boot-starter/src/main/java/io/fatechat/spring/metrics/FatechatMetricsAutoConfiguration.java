package io.fatechat.spring.metrics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.fatechat.core.ChatMetrics;
import io.fatechat.spring.FatechatEngineAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer metrics of the engine and the Socket.IO layer, when Micrometer is on the class path and the host
 * has a {@link MeterRegistry} (e.g. from Spring Boot Actuator). Backs off when the host defines its own
 * {@link ChatMetrics}.
 */
@AutoConfiguration(before = FatechatEngineAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class FatechatMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ChatMetrics.class)
    public MicrometerChatMetrics fatechatMicrometerChatMetrics(MeterRegistry registry) {
        return new MicrometerChatMetrics(registry);
    }
}
