package io.fatechat.kafka;

import io.fatechat.spi.MessageBus;
import io.fatechat.tck.MessageBusCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link MessageBus} contract on a real KRaft broker. */
class KafkaMessageBusCompatibilityIT extends MessageBusCompatibilityKit {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.shared();

    // The kit keeps tests apart by key prefix, so all nodes of the class can share two topics.
    private static final String TOPICS = KafkaBroker.uniquePrefix("kit");
    private static int nodes;

    @Override
    protected MessageBus newNode() {
        return KafkaMessageBus.start(
                KAFKA.busConfig("kit-node-" + (++nodes), TOPICS).build());
    }
}
