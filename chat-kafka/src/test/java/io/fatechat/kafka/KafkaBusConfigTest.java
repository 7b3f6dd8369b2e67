package io.fatechat.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.kafka.internal.ClientProperties;
import io.fatechat.spi.BusTopic;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaBusConfigTest {

    @Test
    void defaults() {
        KafkaBusConfig config = KafkaBusConfig.builder("localhost:9092").build();

        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.topicName(BusTopic.MESSAGES)).isEqualTo("chat-messages");
        assertThat(config.topicName(BusTopic.EVENTS)).isEqualTo("chat-events");
        assertThat(config.partitions()).isEqualTo(6);
        assertThat(config.replicationFactor()).isEmpty();
        assertThat(config.nodeId()).isNotBlank();
        assertThat(config.clientId()).isEqualTo("fatechat-" + config.nodeId());
        assertThat(config.publishTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void settingsAreKept() {
        KafkaBusConfig config = KafkaBusConfig.builder("a:1,b:2")
                .messagesTopic("m")
                .eventsTopic("e")
                .partitions(12)
                .replicationFactor(3)
                .nodeId("node-a")
                .clientId("chat")
                .publishTimeout(Duration.ofSeconds(5))
                .producerProperty("compression.type", "lz4")
                .consumerProperty("max.poll.records", 100)
                .clientProperty("security.protocol", "SSL")
                .build();

        assertThat(config.topicName(BusTopic.MESSAGES)).isEqualTo("m");
        assertThat(config.topicName(BusTopic.EVENTS)).isEqualTo("e");
        assertThat(config.partitions()).isEqualTo(12);
        assertThat(config.replicationFactor()).contains((short) 3);
        assertThat(config.clientId()).isEqualTo("chat");
        assertThat(config.producerProperties()).containsEntry("compression.type", "lz4");
        assertThat(config.consumerProperties()).containsEntry("max.poll.records", 100);
        assertThat(config.clientProperties()).containsEntry("security.protocol", "SSL");
    }

    @Test
    void badValuesAreNamedInTheError() {
        assertThatThrownBy(() -> KafkaBusConfig.builder("")).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> KafkaBusConfig.builder("localhost")).hasMessageContaining("\"localhost\"");
        assertThatThrownBy(() -> KafkaBusConfig.builder("h:1,h:x")).hasMessageContaining("\"h:1,h:x\"");
        assertThatThrownBy(() -> KafkaBusConfig.builder("h:1").messagesTopic("bad topic"))
                .hasMessageContaining("messagesTopic")
                .hasMessageContaining("\"bad topic\"");
        assertThatThrownBy(() -> KafkaBusConfig.builder("h:1").partitions(0))
                .hasMessageContaining("partitions")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> KafkaBusConfig.builder("h:1").replicationFactor(0))
                .hasMessageContaining("replicationFactor");
        assertThatThrownBy(() -> KafkaBusConfig.builder("h:1").nodeId("a b"))
                .hasMessageContaining("nodeId")
                .hasMessageContaining("\"a b\"");
        assertThatThrownBy(() -> KafkaBusConfig.builder("h:1").publishTimeout(Duration.ofMillis(10)))
                .hasMessageContaining("publishTimeout")
                .hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> KafkaBusConfig.builder("h:1").producerProperty("linger.ms", null))
                .hasMessageContaining("linger.ms");
        assertThatThrownBy(() -> KafkaBusConfig.builder("h:1")
                        .messagesTopic("x")
                        .eventsTopic("x")
                        .build())
                .hasMessageContaining("\"x\"");
        assertThatThrownBy(() -> KafkaBusConfig.builder("h:1")
                        .retryBackoff(Duration.ofSeconds(5))
                        .maxRetryBackoff(Duration.ofSeconds(1))
                        .build())
                .hasMessageContaining("maxRetryBackoff");
    }

    @Test
    void toStringShowsNoPropertyValues() {
        KafkaBusConfig config = KafkaBusConfig.builder("h:1")
                .clientProperty("sasl.jaas.config", "secret-password")
                .build();

        assertThat(config.toString()).contains("sasl.jaas.config").doesNotContain("secret-password");
    }

    @Test
    void producerIsIdempotentWithAcksAllAndNoLingerAndBoundedTimeouts() {
        KafkaBusConfig config = KafkaBusConfig.builder("h:1")
                .publishTimeout(Duration.ofSeconds(5))
                .build();

        Map<String, Object> p = ClientProperties.producer(config, "id");

        assertThat(p)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .containsEntry("linger.ms", 0)
                .containsEntry("delivery.timeout.ms", 5000)
                .containsEntry("max.block.ms", 5000)
                .containsEntry("request.timeout.ms", 5000);
    }

    @Test
    void userOverridesApplyButCannotBreakTheContract() {
        KafkaBusConfig config = KafkaBusConfig.builder("h:1")
                .producerProperty("linger.ms", 5)
                .consumerProperty("enable.auto.commit", true)
                .consumerProperty("group.id", "someone-else")
                .build();

        Map<String, Object> producer = ClientProperties.producer(config, "id");
        assertThat(producer).containsEntry("linger.ms", 5);
        // delivery.timeout.ms >= linger.ms + request.timeout.ms, or Kafka refuses the producer
        assertThat((Integer) producer.get("request.timeout.ms")).isEqualTo(30_000 - 5);

        Map<String, Object> broadcast = ClientProperties.broadcastConsumer(config, "id");
        assertThat(broadcast).containsEntry("enable.auto.commit", false).doesNotContainKey("group.id");
        Map<String, Object> shared = ClientProperties.sharedConsumer(config, "id", "persisters");
        assertThat(shared)
                .containsEntry("enable.auto.commit", false)
                .containsEntry("group.id", "persisters")
                .containsEntry("auto.offset.reset", "earliest");
    }
}
