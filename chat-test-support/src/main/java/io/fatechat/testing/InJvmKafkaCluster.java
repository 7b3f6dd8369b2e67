package io.fatechat.testing;

import kafka.server.BrokerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft cluster (combined broker and controller) inside the test JVM, on ephemeral ports. The
 * broker can be stopped and started again on the same port, with its data, to test outages.
 */
public final class InJvmKafkaCluster implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private boolean brokerStopped;

    private InJvmKafkaCluster(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats and starts a cluster and waits until its broker serves. */
    public static InJvmKafkaCluster start() {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
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
            return new InJvmKafkaCluster(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-JVM KRaft cluster", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
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

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
