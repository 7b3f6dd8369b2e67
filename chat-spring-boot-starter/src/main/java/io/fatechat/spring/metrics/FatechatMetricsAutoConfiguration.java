package io.fatechat.spring.metrics;

import com.zaxxer.hikari.HikariDataSource;
import io.fatechat.core.ChatMetrics;
import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.spring.FatechatEngineAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer metrics of the engine and the Socket.IO layer, when Micrometer is on the class path and the host
 * has a {@link MeterRegistry} (e.g. from Spring Boot Actuator). Backs off when the host defines its own
 * {@link ChatMetrics}.
 */
@AutoConfiguration(
        before = FatechatEngineAutoConfiguration.class,
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
public class FatechatMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ChatMetrics.class)
    public MicrometerChatMetrics fatechatMicrometerChatMetrics(MeterRegistry registry) {
        return new MicrometerChatMetrics(registry);
    }

    /**
     * HikariCP's own meters ({@code hikaricp.connections.*}, tag {@code pool=fatechat-jdbc}) for the JDBC stores'
     * pool; Spring Boot binds {@link MeterBinder} beans to its registry.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.fatechat.mysql.JdbcChatStores", "com.zaxxer.hikari.HikariDataSource"})
    static class JdbcPool {

        @Bean
        MeterBinder fatechatJdbcPoolMetrics(ObjectProvider<JdbcChatStores> stores) {
            return registry -> stores.ifAvailable(s -> {
                // the application's own pool is metered by Spring Boot (and must not be changed by us)
                if (s.ownsDataSource()
                        && s.dataSource() instanceof HikariDataSource pool
                        && pool.getMetricRegistry() == null
                        && pool.getMetricsTrackerFactory() == null) {
                    pool.setMetricRegistry(registry);
                }
            });
        }
    }
}
