package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatMetrics;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.kafka.KafkaBusConfig;
import io.fatechat.kafka.KafkaMessageBus;
import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.mysql.JdbcHistoryStore;
import io.fatechat.mysql.JdbcRoomStore;
import io.fatechat.mysql.JdbcUserStore;
import io.fatechat.redis.RedisConfig;
import io.fatechat.redis.RedisPresenceStore;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.UserStore;
import io.fatechat.spring.health.FatechatHealthAutoConfiguration;
import io.fatechat.spring.health.JdbcStoresHealthIndicator;
import io.fatechat.spring.metrics.FatechatMetricsAutoConfiguration;
import io.fatechat.spring.metrics.MicrometerChatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Which beans each auto-configuration contributes, and when each backs off. No service is needed. */
class FatechatAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FatechatKafkaAutoConfiguration.class,
                    FatechatRedisAutoConfiguration.class, FatechatJdbcAutoConfiguration.class,
                    FatechatInMemoryAutoConfiguration.class, FatechatEngineAutoConfiguration.class,
                    FatechatMetricsAutoConfiguration.class, FatechatHealthAutoConfiguration.class))
            .withPropertyValues("fatechat.auth.bcrypt-cost=4",
                    "fatechat.auth.token-secret=auto-configuration-test-secret-32-bytes!");

    private static String h2Url() {
        return "jdbc:h2:mem:autoconf-" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    }

    @Test
    void embeddedDefaultIsInMemoryEverywhere() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(ChatEngine.class);
            assertThat(context.getBean(MessageBus.class)).isInstanceOf(InMemoryMessageBus.class);
            assertThat(context.getBean(PresenceStore.class)).isInstanceOf(InMemoryPresenceStore.class);
            assertThat(context.getBean(HistoryStore.class)).isInstanceOf(InMemoryHistoryStore.class);
            assertThat(context.getBean(UserStore.class)).isInstanceOf(InMemoryUserStore.class);
            assertThat(context).hasSingleBean(InMemoryRoomStore.class);
            assertThat(context).doesNotHaveBean(KafkaBusConfig.class);
            assertThat(context).doesNotHaveBean(RedisConfig.class);
            assertThat(context).doesNotHaveBean(JdbcChatStores.class);
            assertThat(context).doesNotHaveBean(ChatMetrics.class);
            ChatEngine engine = context.getBean(ChatEngine.class);
            String token = engine.register("carol@example.com", "carol-password");
            assertThat(engine.authenticate(token)).isEqualTo("carol@example.com");
        });
    }

    @Test
    void propertiesBindLimitsAndNodeId() {
        runner.withPropertyValues("fatechat.node-id=node-a", "fatechat.limits.max-message-length=500")
                .run(context -> {
                    ChatEngine engine = context.getBean(ChatEngine.class);
                    assertThat(engine.nodeId()).isEqualTo("node-a");
                    assertThat(engine.limits().maxMessageLength()).isEqualTo(500);
                });
    }

    @Test
    void invalidLimitFailsStartupNamingTheValue() {
        runner.withPropertyValues("fatechat.limits.max-message-length=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("maxMessageLength");
        });
    }

    @Test
    void hostBeansWinOverEveryDefault() {
        runner.withUserConfiguration(HostBackends.class).run(context -> {
            assertThat(context).hasSingleBean(MessageBus.class);
            assertThat(context.getBean(MessageBus.class)).isSameAs(context.getBean("hostBus"));
            assertThat(context.getBean(PresenceStore.class)).isSameAs(context.getBean("hostPresence"));
            assertThat(context).doesNotHaveBean("fatechatInMemoryMessageBus");
            assertThat(context).doesNotHaveBean("fatechatInMemoryPresenceStore");
            assertThat(context).hasSingleBean(ChatEngine.class);
        });
    }

    @Test
    void hostEngineWins() {
        runner.withUserConfiguration(HostEngine.class).run(context -> {
            assertThat(context).hasSingleBean(ChatEngine.class);
            assertThat(context.getBean(ChatEngine.class)).isSameAs(context.getBean("hostEngine"));
        });
    }

    // ---- Kafka ----

    @Test
    void kafkaIsOffWithoutBootstrapServers() {
        runner.run(context -> assertThat(context).doesNotHaveBean(KafkaBusConfig.class));
    }

    @Test
    void kafkaBacksOffWithoutItsLibrary() {
        runner.withClassLoader(new FilteredClassLoader(KafkaMessageBus.class))
                .withPropertyValues("fatechat.kafka.bootstrap-servers=127.0.0.1:1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(KafkaBusConfig.class);
                    assertThat(context.getBean(MessageBus.class)).isInstanceOf(InMemoryMessageBus.class);
                });
    }

    @Test
    void kafkaBusBacksOffForAHostBusButTakesItsSettings() {
        runner.withUserConfiguration(HostBackends.class)
                .withPropertyValues("fatechat.kafka.bootstrap-servers=broker-1:9092,broker-2:9092",
                        "fatechat.kafka.messages-topic=my-messages", "fatechat.node-id=node-k")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(KafkaMessageBus.class);
                    KafkaBusConfig config = context.getBean(KafkaBusConfig.class);
                    assertThat(config.bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9092");
                    assertThat(config.messagesTopic()).isEqualTo("my-messages");
                    assertThat(config.nodeId()).isEqualTo("node-k");
                });
    }

    @Test
    void environmentVariablesSwitchBackendsOnByRelaxedBinding() {
        runner.withUserConfiguration(HostBackends.class)
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("FATECHAT_KAFKA_BOOTSTRAP_SERVERS", "env-broker:9092",
                                        "FATECHAT_REDIS_URL", "redis://env-redis:6379",
                                        "FATECHAT_JDBC_URL", h2Url()))))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(KafkaBusConfig.class).bootstrapServers()).isEqualTo("env-broker:9092");
                    assertThat(context.getBean(RedisConfig.class).uri()).isEqualTo("redis://env-redis:6379");
                    assertThat(context.getBean(UserStore.class)).isInstanceOf(JdbcUserStore.class);
                });
    }

    // ---- Redis ----

    @Test
    void redisBacksOffWithoutItsLibrary() {
        runner.withClassLoader(new FilteredClassLoader(RedisPresenceStore.class))
                .withPropertyValues("fatechat.redis.url=redis://127.0.0.1:1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(RedisConfig.class);
                    assertThat(context.getBean(PresenceStore.class)).isInstanceOf(InMemoryPresenceStore.class);
                });
    }

    @Test
    void redisPresenceBacksOffForAHostStoreButTakesItsSettings() {
        runner.withUserConfiguration(HostBackends.class)
                .withPropertyValues("fatechat.redis.url=redis://cache.internal:6380", "fatechat.redis.key-prefix=chat:")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(RedisPresenceStore.class);
                    RedisConfig config = context.getBean(RedisConfig.class);
                    assertThat(config.uri()).isEqualTo("redis://cache.internal:6380");
                    assertThat(config.keyPrefix()).isEqualTo("chat:");
                    assertThat(context).hasSingleBean(RedisRecentCacheDecorator.class);
                });
    }

    @Test
    void redisRecentCacheCanBeSwitchedOff() {
        runner.withUserConfiguration(HostBackends.class)
                .withPropertyValues("fatechat.redis.url=redis://cache.internal:6380", "fatechat.redis.recent-cache=false")
                .run(context -> {
                    assertThat(context).hasSingleBean(RedisConfig.class);
                    assertThat(context).doesNotHaveBean(RedisRecentCacheDecorator.class);
                });
    }

    // ---- JDBC ----

    @Test
    void jdbcStoresWhenUrlIsSet() {
        runner.withPropertyValues("fatechat.jdbc.url=" + h2Url()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(JdbcChatStores.class);
            assertThat(context.getBean(UserStore.class)).isInstanceOf(JdbcUserStore.class);
            assertThat(context).hasSingleBean(JdbcRoomStore.class);
            assertThat(context.getBean(HistoryStore.class)).isInstanceOf(JdbcHistoryStore.class);
            assertThat(context).doesNotHaveBean(InMemoryUserStore.class);
            assertThat(context.getBean(MessageBus.class)).isInstanceOf(InMemoryMessageBus.class);
            ChatEngine engine = context.getBean(ChatEngine.class);
            engine.register("dave@example.com", "dave-password");
            assertThat(context.getBean(UserStore.class).findByEmail("dave@example.com")).isPresent();
        });
    }

    @Test
    void jdbcBacksOffWithoutItsLibrary() {
        runner.withClassLoader(new FilteredClassLoader(JdbcChatStores.class))
                .withPropertyValues("fatechat.jdbc.url=" + h2Url())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean("fatechatJdbcStoreConfig");
                    assertThat(context.getBean(UserStore.class)).isInstanceOf(InMemoryUserStore.class);
                });
    }

    @Test
    void jdbcStoreBacksOffForAHostStore() {
        runner.withUserConfiguration(HostUserStore.class).withPropertyValues("fatechat.jdbc.url=" + h2Url())
                .run(context -> {
                    assertThat(context.getBean(UserStore.class)).isSameAs(context.getBean("hostUsers"));
                    assertThat(context).doesNotHaveBean(JdbcUserStore.class);
                    assertThat(context).hasSingleBean(JdbcRoomStore.class);
                });
    }

    // ---- metrics and health ----

    @Test
    void micrometerMetricsWhenARegistryExists() {
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
    void metricsBackOffWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(MicrometerChatMetrics.class);
        });
    }

    @Test
    void jdbcHealthIndicatorWhenJdbcIsConfigured() {
        runner.withPropertyValues("fatechat.jdbc.url=" + h2Url()).run(context -> {
            assertThat(context).hasSingleBean(JdbcStoresHealthIndicator.class);
            assertThat(context.getBean(JdbcStoresHealthIndicator.class).health().getStatus().getCode()).isEqualTo("UP");
        });
    }

    @Test
    void noHealthIndicatorsWithoutBootHealth() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .withPropertyValues("fatechat.jdbc.url=" + h2Url())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(JdbcStoresHealthIndicator.class);
                });
    }

    @Test
    void noHealthIndicatorForTheInMemoryDefault() {
        runner.run(context -> assertThat(context).doesNotHaveBean(HealthIndicator.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class HostBackends {
        @Bean
        MessageBus hostBus() {
            return new InMemoryMessageBus();
        }

        @Bean
        PresenceStore hostPresence() {
            return new InMemoryPresenceStore();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HostUserStore {
        @Bean
        UserStore hostUsers() {
            return new InMemoryUserStore();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HostEngine {
        @Bean
        ChatEngine hostEngine() {
            return ChatEngine.builder().bcryptCost(4)
                    .tokenSecret("host-engine-secret-of-at-least-32-bytes".getBytes()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }
}
