package io.fatechat.kafka;

import java.time.Duration;
import java.util.UUID;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node KRaft cluster (combined broker and controller) inside the test JVM, on ephemeral ports,
 * one per test class: {@code @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();}.
 * The broker can be stopped and started again on the same port, with its data, to test outages.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

    private KafkaClusterTestKit cluster;
    private boolean brokerStopped;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                // New groups start at once instead of waiting 3 s for more members.
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("offsets.topic.num.partitions", "3")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Admin admin() {
        return cluster.admin();
    }

    /** A bus config on this broker with topics of their own, so that tests do not see each other's records. */
    public KafkaBusConfig.Builder busConfig(String nodeId, String topicPrefix) {
        return KafkaBusConfig.builder(bootstrapServers())
                .nodeId(nodeId)
                .messagesTopic(topicPrefix + "-messages")
                .eventsTopic(topicPrefix + "-events")
                .partitions(3)
                .replicationFactor(1)
                .publishTimeout(Duration.ofSeconds(10))
                .startupTimeout(Duration.ofSeconds(20))
                .closeTimeout(Duration.ofSeconds(5))
                .retryBackoff(Duration.ofMillis(100))
                .maxRetryBackoff(Duration.ofSeconds(1))
                .pollTimeout(Duration.ofMillis(200));
    }

    public static String uniquePrefix(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Stops the broker (the controller keeps running); clients see connection refusals. */
    public synchronized void stopBroker() {
        for (BrokerServer broker : cluster.brokers().values()) {
            broker.shutdown();
        }
        brokerStopped = true;
    }

    /** Starts the stopped broker again on its old port and waits until it is registered and serving. */
    public synchronized void startBroker() throws Exception {
        for (BrokerServer broker : cluster.brokers().values()) {
            broker.startup();
        }
        brokerStopped = false;
        cluster.waitForReadyBrokers();
    }

    /** Restarts the broker if a test stopped it and failed before starting it again. */
    public synchronized void ensureBrokerRunning() throws Exception {
        if (brokerStopped) {
            startBroker();
        }
    }
}
