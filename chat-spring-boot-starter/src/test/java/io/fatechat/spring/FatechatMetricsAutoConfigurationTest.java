package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.fatechat.core.ChatEngine;
import io.fatechat.spring.metrics.MicrometerChatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Micrometer meters of the engine. */
class FatechatMetricsAutoConfigurationTest {

    private final ApplicationContextRunner runner = StarterRunners.starter();

    @Test
    void metersWhenARegistryExists() {
        runner.withUserConfiguration(Registry.class).run(context -> {
            assertThat(context).hasSingleBean(MicrometerChatMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            ChatEngine engine = context.getBean(ChatEngine.class);
            try {
                engine.login("nobody@example.com", "whatever-password");
            } catch (RuntimeException expected) {
                // refused: counted below
            }
            assertThat(registry.find("fatechat.connections").gauge()).isNotNull();
            assertThat(registry.find("fatechat.messages.delivery.latency").timer()).isNotNull();
            assertThat(registry.get("fatechat.requests.refused").tag("reason", "unauthorized").counter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("fatechat.requests.refused").tag("reason", "rate_limited").counter().count())
                    .isZero();
        });
    }

    @Test
    void backsOffWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(MicrometerChatMetrics.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }
}
