package io.fatechat.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.spi.BackendUnavailableException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** No broker at all: start fails clearly, within the startup timeout, instead of hanging. */
class KafkaMessageBusUnreachableTest {

    @Test
    void startFailsWithBackendUnavailableWhenNoBrokerAnswers() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        KafkaBusConfig config = KafkaBusConfig.builder("127.0.0.1:" + freePort)
                .startupTimeout(Duration.ofSeconds(1))
                .build();

        assertThatThrownBy(() -> KafkaMessageBus.start(config))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("kafka is unavailable");
    }
}
