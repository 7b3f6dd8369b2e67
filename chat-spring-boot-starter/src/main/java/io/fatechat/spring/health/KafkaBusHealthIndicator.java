package io.fatechat.spring.health;

import io.fatechat.kafka.KafkaBusConfig;

/** Spring Boot 4: up while the Kafka cluster of the message bus describes itself within five seconds. */
public class KafkaBusHealthIndicator extends Boot4BackendHealthIndicator {

    public KafkaBusHealthIndicator(KafkaBusConfig config) {
        super(new KafkaBusHealthCheck(config));
    }
}
