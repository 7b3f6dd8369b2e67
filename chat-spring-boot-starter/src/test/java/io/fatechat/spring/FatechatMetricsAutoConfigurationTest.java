package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.core.ChatEngine;
import io.fatechat.spring.metrics.MicrometerChatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
            assertThat(registry.find("fatechat.messages.delivery.latency").timer())
                    .isNotNull();
            assertThat(registry.get("fatechat.requests.refused")
                            .tag("reason", "unauthorized")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
            assertThat(registry.get("fatechat.requests.refused")
                            .tag("reason", "rate_limited")
                            .counter()
                            .count())
                    .isZero();
        });
    }

    @Test
    void theJdbcPoolIsMetered() {
        StarterRunners.withH2()
                .withUserConfiguration(Registry.class)
                .withPropertyValues("fatechat.jdbc.url=" + StarterRunners.h2Url())
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBeansOfType(MeterBinder.class).values().forEach(binder -> binder.bindTo(registry));
                    assertThat(registry.find("hikaricp.connections")
                                    .tag("pool", "fatechat-jdbc")
                                    .gauge())
                            .isNotNull();
                });
    }

    @Test
    void protocolErrorsAndRefusedConnectsAreCounted() {
        MicrometerChatMetrics metrics = new MicrometerChatMetrics(new SimpleMeterRegistry());
        metrics.protocolError("origin not allowed");
        metrics.protocolError("origin not allowed");
        metrics.connectRefused("/");
        assertThat(metrics.registry()
                        .get("fatechat.socketio.protocol.errors")
                        .tag("kind", "origin not allowed")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(metrics.registry()
                        .get("fatechat.socketio.connects.refused")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        for (int i = 0; i < 100; i++) {
            metrics.protocolError("kind-" + i);
        }
        assertThat(metrics.registry().find("fatechat.socketio.protocol.errors").counters())
                .hasSizeLessThanOrEqualTo(65);
    }

    @Test
    void backsOffWithoutMicrometer() {
        runner.withClassLoader(StarterRunners.hiding("io.micrometer.core.instrument"))
                .run(context -> {
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
