package io.fatechat.benchmarks.jmh;

import io.fatechat.kafka.KafkaBusConfig;
import io.fatechat.kafka.KafkaMessageBus;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link KafkaMessageBus}: publish (idempotent, acks=all) until this node's broadcast subscription receives the
 * record, against a real single-node KRaft broker inside the benchmark JVM (KafkaClusterTestKit).
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class KafkaBusBenchmark extends SampledBenchmark {

    private KafkaClusterTestKit cluster;
    private KafkaMessageBus bus;
    private final AtomicLong received = new AtomicLong();
    private final byte[] payload =
            "{\"type\":\"message\",\"text\":\"hello from jmh\"}".getBytes(StandardCharsets.UTF_8);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        String prefix = "jmh-" + UUID.randomUUID().toString().substring(0, 8);
        bus = KafkaMessageBus.start(KafkaBusConfig.builder(cluster.bootstrapServers())
                .nodeId("jmh")
                .messagesTopic(prefix + "-messages")
                .eventsTopic(prefix + "-events")
                .partitions(3)
                .replicationFactor(1)
                .startupTimeout(Duration.ofSeconds(60))
                .build());
        bus.subscribeBroadcast(BusTopic.MESSAGES, record -> received.incrementAndGet());
        // The subscription is live once a record published after it arrives.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received.get() == 0) {
            publishToBroadcastOnce(2_000, deadline);
        }
    }

    private void publishToBroadcastOnce(long waitMillis, long deadline) {
        long before = received.get();
        bus.publish(new BusRecord(BusTopic.MESSAGES, "room:bench", payload));
        try {
            Spin.until(() -> received.get() > before, waitMillis, "first broadcast");
        } catch (IllegalStateException e) {
            if (System.nanoTime() > deadline) {
                throw e;
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (bus != null) {
            bus.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Benchmark
    public long publishToBroadcast() {
        long before = received.get();
        bus.publish(new BusRecord(BusTopic.MESSAGES, "room:bench", payload));
        Spin.until(() -> received.get() > before, 10_000, "broadcast");
        return received.get();
    }
}
