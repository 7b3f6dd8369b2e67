package io.fatechat.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The per-stage JFR events behind scripts/bench/kafka.sh: recorded when enabled, one per publish and delivery. */
class StageEventsIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.shared();

    @Test
    void aRecordingSeesEachPublishAndEachNodesDeliveryWithItsTransit() throws Exception {
        String topics = KafkaBroker.uniquePrefix("stages");
        Path file = Files.createTempFile("stages", ".jfr");
        try (KafkaMessageBus a =
                        KafkaMessageBus.start(KAFKA.busConfig("stage-a", topics).build());
                KafkaMessageBus b =
                        KafkaMessageBus.start(KAFKA.busConfig("stage-b", topics).build());
                Recording recording = new Recording()) {
            List<BusRecord> gotA = new CopyOnWriteArrayList<>();
            List<BusRecord> gotB = new CopyOnWriteArrayList<>();
            a.subscribeBroadcast(BusTopic.MESSAGES, gotA::add);
            b.subscribeBroadcast(BusTopic.MESSAGES, gotB::add);
            recording.enable("io.fatechat.kafka.Publish").withoutThreshold();
            recording.enable("io.fatechat.kafka.Consume").withoutThreshold();
            recording.start();

            for (int i = 0; i < 3; i++) {
                a.publish(new BusRecord(BusTopic.MESSAGES, "room:1", ("m" + i).getBytes(StandardCharsets.UTF_8)))
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> gotA.size() == 3 && gotB.size() == 3);
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.delete(file);
        List<RecordedEvent> publishes = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.fatechat.kafka.Publish"))
                .toList();
        List<RecordedEvent> deliveries = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.fatechat.kafka.Consume"))
                .toList();
        assertThat(publishes).hasSize(3).allSatisfy(e -> {
            assertThat(e.getString("topic")).isEqualTo(topics + "-messages");
            assertThat(e.getBoolean("failed")).isFalse();
            assertThat(e.getLong("ack")).isNotNegative();
        });
        // Both nodes deliver each record, and every record carried its publish time.
        assertThat(deliveries).hasSize(6).allSatisfy(e -> assertThat(e.getLong("transit"))
                .isNotNegative());
    }
}
