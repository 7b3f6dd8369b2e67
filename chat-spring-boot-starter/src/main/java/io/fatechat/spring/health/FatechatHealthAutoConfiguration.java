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
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One health indicator per configured backend ({@code fatechatKafka}, {@code fatechatRedis},
 * {@code fatechatJdbc}), when Spring Boot's health support is on the class path. Each can be switched off with
 * {@code management.health.fatechat-kafka.enabled=false} (and so on).
 */
@AutoConfiguration(
        after = {
            FatechatKafkaAutoConfiguration.class,
            FatechatRedisAutoConfiguration.class,
            FatechatJdbcAutoConfiguration.class,
            FatechatInMemoryAutoConfiguration.class
        })
@ConditionalOnClass(HealthIndicator.class)
public class FatechatHealthAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaMessageBus.class)
    @ConditionalOnBean({KafkaMessageBus.class, KafkaBusConfig.class})
    @ConditionalOnEnabledHealthIndicator("fatechat-kafka")
    static class Kafka {
        @Bean
        @ConditionalOnMissingBean(name = "fatechatKafkaHealthIndicator")
        KafkaBusHealthIndicator fatechatKafkaHealthIndicator(KafkaBusConfig config) {
            return new KafkaBusHealthIndicator(config);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisPresenceStore.class)
    @ConditionalOnBean(RedisPresenceStore.class)
    @ConditionalOnEnabledHealthIndicator("fatechat-redis")
    static class Redis {
        @Bean
        @ConditionalOnMissingBean(name = "fatechatRedisHealthIndicator")
        RedisPresenceHealthIndicator fatechatRedisHealthIndicator(RedisPresenceStore store) {
            return new RedisPresenceHealthIndicator(store);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcChatStores.class)
    @ConditionalOnBean(JdbcChatStores.class)
    @ConditionalOnEnabledHealthIndicator("fatechat-jdbc")
    static class Jdbc {
        @Bean
        @ConditionalOnMissingBean(name = "fatechatJdbcHealthIndicator")
        JdbcStoresHealthIndicator fatechatJdbcHealthIndicator(JdbcChatStores stores) {
            return new JdbcStoresHealthIndicator(stores);
        }
    }
}
