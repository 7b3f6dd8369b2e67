package io.fatechat.spring.health;

import io.fatechat.kafka.KafkaBusConfig;
import io.fatechat.kafka.KafkaMessageBus;
import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.redis.RedisPresenceStore;
import io.fatechat.spring.FatechatInMemoryAutoConfiguration;
import io.fatechat.spring.FatechatJdbcAutoConfiguration;
import io.fatechat.spring.FatechatKafkaAutoConfiguration;
import io.fatechat.spring.FatechatRedisAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The same health indicators as {@link FatechatHealthAutoConfiguration} ({@code fatechatKafka},
 * {@code fatechatRedis}, {@code fatechatJdbc}) on Spring Boot 3.5, whose Actuator keeps the health API in
 * {@code org.springframework.boot.actuate.health}. Never active on Boot 4.
 */
@AutoConfiguration(
        after = {
            FatechatKafkaAutoConfiguration.class,
            FatechatRedisAutoConfiguration.class,
            FatechatJdbcAutoConfiguration.class,
            FatechatInMemoryAutoConfiguration.class
        })
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
public class FatechatBoot3HealthAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaMessageBus.class)
    @ConditionalOnBean({KafkaMessageBus.class, KafkaBusConfig.class})
    @ConditionalOnEnabledBackendHealth("fatechat-kafka")
    static class Kafka {
        @Bean
        @ConditionalOnMissingBean(name = "fatechatKafkaHealthIndicator")
        Boot3BackendHealthIndicator fatechatKafkaHealthIndicator(KafkaBusConfig config) {
            return new Boot3BackendHealthIndicator(new KafkaBusHealthCheck(config));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisPresenceStore.class)
    @ConditionalOnBean(RedisPresenceStore.class)
    @ConditionalOnEnabledBackendHealth("fatechat-redis")
    static class Redis {
        @Bean
        @ConditionalOnMissingBean(name = "fatechatRedisHealthIndicator")
        Boot3BackendHealthIndicator fatechatRedisHealthIndicator(RedisPresenceStore store) {
            return new Boot3BackendHealthIndicator(new RedisPresenceHealthCheck(store));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcChatStores.class)
    @ConditionalOnBean(JdbcChatStores.class)
    @ConditionalOnEnabledBackendHealth("fatechat-jdbc")
    static class Jdbc {
        @Bean
        @ConditionalOnMissingBean(name = "fatechatJdbcHealthIndicator")
        Boot3BackendHealthIndicator fatechatJdbcHealthIndicator(JdbcChatStores stores) {
            return new Boot3BackendHealthIndicator(new JdbcStoresHealthCheck(stores));
        }
    }
}
