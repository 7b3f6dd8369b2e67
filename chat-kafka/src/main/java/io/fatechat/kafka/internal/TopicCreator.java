package io.fatechat.kafka.internal;

import io.fatechat.kafka.KafkaBusConfig;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.support.OutageLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the bus topics that do not exist yet. Safe when several nodes start at once. */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private TopicCreator() {}

    public static void ensureTopics(KafkaBusConfig config, List<String> topics) {
        Map<String, Object> props = ClientProperties.admin(config, config.clientId() + "-admin");
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> wanted = new ArrayList<>();
            for (String topic : topics) {
                wanted.add(new NewTopic(topic, Optional.of(config.partitions()), config.replicationFactor()));
            }
            CreateTopicsResult result = admin.createTopics(wanted);
            for (Map.Entry<String, KafkaFuture<Void>> e : result.values().entrySet()) {
                try {
                    e.getValue().get(config.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    LOG.info(
                            "Created topic {} ({} partitions, replication factor {})",
                            e.getKey(),
                            config.partitions(),
                            config.replicationFactor().map(String::valueOf).orElse("broker default"));
                } catch (ExecutionException ex) {
                    if (ex.getCause() instanceof TopicExistsException) {
                        LOG.debug("Topic {} exists", e.getKey());
                    } else if (exists(admin, e.getKey(), config)) {
                        // Typical where topics are provisioned ahead and the application may not create any.
                        LOG.info(
                                "Topic {} exists; the bus could not create it itself: {}",
                                e.getKey(),
                                OutageLog.describe(ex.getCause()));
                    } else {
                        throw new BackendUnavailableException(
                                "kafka",
                                "could not create topic " + e.getKey() + ": " + OutageLog.describe(ex.getCause()),
                                ex.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("kafka", "interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new BackendUnavailableException(
                    "kafka", "no answer from " + config.bootstrapServers() + " within " + config.startupTimeout(), e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalArgumentException("invalid Kafka admin configuration: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Admin admin, String topic, KafkaBusConfig config) throws InterruptedException {
        try {
            admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(config.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
