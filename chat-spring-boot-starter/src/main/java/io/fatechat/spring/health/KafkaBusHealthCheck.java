package io.fatechat.spring.health;

import io.fatechat.kafka.KafkaBusConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Up while the Kafka cluster of the message bus describes itself within five seconds. */
final class KafkaBusHealthCheck implements BackendHealthCheck {

    private static final int TIMEOUT_MS = 5_000;

    private final KafkaBusConfig config;
    private Admin admin;

    KafkaBusHealthCheck(KafkaBusConfig config) {
        this.config = config;
    }

    @Override
    public BackendHealth check() {
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
                    .nodes()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .size();
            return BackendHealth.up(Map.of("brokers", nodes));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BackendHealth.down("interrupted");
        } catch (Exception e) {
            return BackendHealth.down(e.getMessage());
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> props = new HashMap<>(config.clientProperties());
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, config.clientId() + "-health");
            admin = Admin.create(props);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
