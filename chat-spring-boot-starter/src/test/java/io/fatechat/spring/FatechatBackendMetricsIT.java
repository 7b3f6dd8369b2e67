package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.kafka.KafkaMessageBus;
import io.fatechat.redis.RedisPresenceStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.testing.InJvmKafkaCluster;
import io.fatechat.testing.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka bus's clients and the Redis stores' Lettuce client report to the host's {@link MeterRegistry}: an
 * in-JVM Kafka broker (or FATECHAT_TEST_KAFKA_BOOTSTRAP_SERVERS) and the Redis {@link TestServices} finds.
 */
class FatechatBackendMetricsIT {

    private static String kafkaBootstrapServers;
    private static InJvmKafkaCluster ownKafka;

    @BeforeAll
    static void kafka() {
        kafkaBootstrapServers = TestServices.kafkaBootstrapServers()
                .orElseGet(() -> (ownKafka = InJvmKafkaCluster.start()).bootstrapServers());
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (ownKafka != null) {
            ownKafka.close();
        }
    }

    @Test
    void kafkaClientAndLettuceMetersAppearAndTheKafkaOnesGoWithTheBus() {
        MeterRegistry registry = new SimpleMeterRegistry();
        String run = UUID.randomUUID().toString().substring(0, 8);
        StarterRunners.starter()
                .withBean("hostRegistry", MeterRegistry.class, () -> registry, d -> d.setDestroyMethodName(""))
                .withPropertyValues(
                        "fatechat.kafka.bootstrap-servers=" + kafkaBootstrapServers,
                        "fatechat.kafka.messages-topic=metrics-" + run + "-messages",
                        "fatechat.kafka.events-topic=metrics-" + run + "-events",
                        "fatechat.kafka.replication-factor=1",
                        "fatechat.redis.url=" + TestServices.redisUrl(),
                        "fatechat.redis.key-prefix=fatechat-metrics-" + run + ":")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(MessageBus.class)).isInstanceOf(KafkaMessageBus.class);
                    assertThat(context.getBean(PresenceStore.class)).isInstanceOf(RedisPresenceStore.class);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        assertThat(meterNames(registry, "kafka.producer.")).isPositive();
                        assertThat(meterNames(registry, "kafka.consumer.")).isPositive();
                    });
                    context.getBean(PresenceStore.class).onlineUsers("metrics-" + run);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                                    registry.find("lettuce.command.completion").timers())
                            .isNotEmpty());
                });
        // the bus closed its clients with the context: their meters went with them
        assertThat(meterNames(registry, "kafka.producer.")).isZero();
        assertThat(meterNames(registry, "kafka.consumer.")).isZero();
    }

    private static long meterNames(MeterRegistry registry, String prefix) {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith(prefix))
                .count();
    }
}
