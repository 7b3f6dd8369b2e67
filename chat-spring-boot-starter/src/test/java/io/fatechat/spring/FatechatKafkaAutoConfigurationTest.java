package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.kafka.KafkaBusConfig;
import io.fatechat.kafka.KafkaMessageBus;
import io.fatechat.spi.MessageBus;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The Kafka bus's settings; the bus itself is left to the host's so no broker is needed. */
class FatechatKafkaAutoConfigurationTest {

    private final ApplicationContextRunner runner = StarterRunners.starter().withUserConfiguration(HostBeans.class);

    @Test
    void defaultsAreKafkaBusConfigs() {
        runner.withPropertyValues("fatechat.kafka.bootstrap-servers=broker:9092", "fatechat.node-id=node-d")
                .run(context -> assertThat(context.getBean(KafkaBusConfig.class).toString())
                        .isEqualTo(KafkaBusConfig.builder("broker:9092")
                                .nodeId("node-d")
                                .build()
                                .toString()));
    }

    @Test
    void aConfiguredBusWithoutItsModuleFailsNamingTheDependency() {
        StarterRunners.starter()
                .withClassLoader(StarterRunners.hiding("io.fatechat.kafka"))
                .withPropertyValues("fatechat.kafka.bootstrap-servers=127.0.0.1:1")
                .run(context -> assertThat(context.getStartupFailure())
                        .hasStackTraceContaining("chat-kafka is not on the class path")
                        .hasStackTraceContaining("io.fatechat:chat-kafka"));
    }

    @Test
    void aSharedBusWithNodeLocalPresenceIsRefused() {
        StarterRunners.starter().withUserConfiguration(SharedBusOnly.class).run(context -> assertThat(
                        context.getStartupFailure())
                .rootCause()
                .hasMessageContaining("presence is in memory")
                .hasMessageContaining("fatechat.redis.url"));
    }

    @Test
    void offWithoutBootstrapServers() {
        runner.run(context -> assertThat(context).doesNotHaveBean(KafkaBusConfig.class));
    }

    @Test
    void theBusBacksOffForAHostBusButItsSettingsBind() {
        runner.withPropertyValues(
                        "fatechat.kafka.bootstrap-servers=broker-1:9092,broker-2:9092",
                        "fatechat.kafka.messages-topic=my-messages",
                        "fatechat.node-id=node-k",
                        "fatechat.kafka.publish-timeout=5s",
                        "fatechat.kafka.max-queued-publishes=77")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(KafkaMessageBus.class);
                    KafkaBusConfig config = context.getBean(KafkaBusConfig.class);
                    assertThat(config.bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9092");
                    assertThat(config.messagesTopic()).isEqualTo("my-messages");
                    assertThat(config.nodeId()).isEqualTo("node-k");
                    assertThat(config.publishTimeout()).hasSeconds(5);
                    assertThat(config.maxQueuedPublishes()).isEqualTo(77);
                });
    }

    @Test
    void clientPropertiesPassThrough() {
        runner.withPropertyValues(
                        "fatechat.kafka.bootstrap-servers=broker:9092",
                        "fatechat.kafka.properties.security.protocol=SASL_SSL",
                        "fatechat.kafka.properties[sasl.mechanism]=PLAIN",
                        "fatechat.kafka.producer-properties.linger.ms=5",
                        "fatechat.kafka.consumer-properties.max.poll.records=100")
                .run(context -> {
                    KafkaBusConfig config = context.getBean(KafkaBusConfig.class);
                    assertThat(config.clientProperties())
                            .containsEntry("security.protocol", "SASL_SSL")
                            .containsEntry("sasl.mechanism", "PLAIN");
                    assertThat(config.producerProperties()).containsEntry("linger.ms", "5");
                    assertThat(config.consumerProperties()).containsEntry("max.poll.records", "100");
                });
    }

    @Test
    void aBadValueNamesTheKey() {
        runner.withPropertyValues("fatechat.kafka.bootstrap-servers=broker:9092", "fatechat.kafka.partitions=0")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("fatechat.kafka.partitions"));
        runner.withPropertyValues("fatechat.kafka.bootstrap-servers=no-port")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("fatechat.kafka.bootstrap-servers"));
    }

    @Test
    void environmentVariablesSwitchItOnByRelaxedBinding() {
        runner.withInitializer(context -> context.getEnvironment()
                        .getPropertySources()
                        .addFirst(new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of(
                                        "FATECHAT_KAFKA_BOOTSTRAP_SERVERS",
                                        "env-broker:9092",
                                        "FATECHAT_KAFKA_PROPERTIES_SECURITY_PROTOCOL",
                                        "SSL"))))
                .run(context -> {
                    KafkaBusConfig config = context.getBean(KafkaBusConfig.class);
                    assertThat(config.bootstrapServers()).isEqualTo("env-broker:9092");
                    assertThat(config.clientProperties()).containsEntry("security.protocol", "SSL");
                });
    }

    /** A bus shared between nodes (any bus that is not the in-memory one), with no presence store of its own. */
    @Configuration(proxyBeanMethods = false)
    static class SharedBusOnly {
        @Bean
        MessageBus sharedBus() {
            InMemoryMessageBus delegate = new InMemoryMessageBus();
            return (MessageBus) Proxy.newProxyInstance(
                    MessageBus.class.getClassLoader(),
                    new Class<?>[] {MessageBus.class},
                    (proxy, method, args) -> method.invoke(delegate, args));
        }
    }
}
