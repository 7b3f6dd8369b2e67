package io.fatechat.kafka;

import io.fatechat.testing.InJvmKafkaCluster;
import io.fatechat.testing.TestServices;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Kafka broker of an integration test class, as a JUnit extension:
 * {@code @RegisterExtension static final KafkaBroker KAFKA = KafkaBroker.shared();}.
 * <ul>
 * <li>{@link #shared()}: one broker for every test class of the JVM that does not stop it (they keep apart by their
 *     own topics): the address in FATECHAT_TEST_KAFKA_BOOTSTRAP_SERVERS, else a container where Docker is, else a KRaft
 *     broker inside the test JVM (see {@link TestServices}). Starting a broker per class cost most of the Kafka ITs'
 *     time.</li>
 * <li>{@link #ownedByClass()}: a KRaft broker in the test JVM for this class alone, which the class may stop and
 *     start again ({@link #stopBroker()}, {@link #startBroker()}) to test outages.</li>
 * </ul>
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBroker.class);

    private final boolean shared;
    private String bootstrapServers;
    private InJvmKafkaCluster ownCluster;

    private KafkaBroker(boolean shared) {
        this.shared = shared;
    }

    /** The JVM's shared broker; never stopped by a test. */
    public static KafkaBroker shared() {
        return new KafkaBroker(true);
    }

    /** A broker of this test class alone, which it may stop and start. */
    public static KafkaBroker ownedByClass() {
        return new KafkaBroker(false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (shared) {
            Optional<String> external = TestServices.kafkaBootstrapServers();
            bootstrapServers = external.orElseGet(() -> context.getRoot()
                    .getStore(NAMESPACE)
                    // closed by JUnit when the whole run ends
                    .computeIfAbsent("in-jvm-cluster", key -> InJvmKafkaCluster.start(), InJvmKafkaCluster.class)
                    .bootstrapServers());
        } else {
            ownCluster = InJvmKafkaCluster.start();
            bootstrapServers = ownCluster.bootstrapServers();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (ownCluster != null) {
            ownCluster.close();
            ownCluster = null;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A new admin client on this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
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
    public void stopBroker() {
        ownCluster().stopBroker();
    }

    /** Starts the stopped broker again on its old port and waits until it is registered and serving. */
    public void startBroker() throws Exception {
        ownCluster().startBroker();
    }

    /** Restarts the broker if a test stopped it and failed before starting it again. */
    public void ensureBrokerRunning() throws Exception {
        ownCluster().ensureBrokerRunning();
    }

    private InJvmKafkaCluster ownCluster() {
        if (ownCluster == null) {
            throw new IllegalStateException("only a KafkaBroker.ownedByClass() broker can be stopped and started");
        }
        return ownCluster;
    }
}
