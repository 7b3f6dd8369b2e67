package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.core.ChatEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The login throttle counts the client behind a trusted proxy, and believes X-Forwarded-For from no one else. */
class RestClientAddressTest {

    private static final int ATTEMPTS = 2;

    private final HttpClient http = HttpClient.newHttpClient();
    private ChatEngine engine;
    private RestTestServer server;
    private int port;

    @AfterEach
    void stop() throws Exception {
        try {
            server.close();
        } finally {
            engine.close();
        }
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnLoginBudget() throws Exception {
        start(ChatRestConfig.builder()
                .attemptsPerAddress(ATTEMPTS, Duration.ofMinutes(1))
                .trustedProxies("127.0.0.1")
                .build());
        for (int i = 0; i < ATTEMPTS; i++) {
            assertThat(login("203.0.113.1")).isNotEqualTo(429);
        }
        assertThat(login("203.0.113.1")).isEqualTo(429);
        assertThat(login("203.0.113.2"))
                .as("another client behind the same proxy")
                .isNotEqualTo(429);
        assertThat(login("198.51.100.9, 203.0.113.1"))
                .as("hops the client wrote left of the proxy's are not believed")
                .isEqualTo(429);
    }

    @Test
    void withoutATrustedProxyTheHeaderIsIgnored() throws Exception {
        start(ChatRestConfig.builder()
                .attemptsPerAddress(ATTEMPTS, Duration.ofMinutes(1))
                .build());
        for (int i = 0; i < ATTEMPTS; i++) {
            assertThat(login("203.0.113." + (10 + i))).isNotEqualTo(429);
        }
        assertThat(login("203.0.113.99")).as("a client cannot pick its address").isEqualTo(429);
    }

    private void start(ChatRestConfig config) throws Exception {
        engine = ChatEngine.builder()
                .bcryptCost(4)
                .tokenSecret("rest-address-test-secret-32-bytes!!")
                .build();
        server = RestTestServer.start(engine, config);
        port = server.port();
    }

    private int login(String forwardedFor) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/login"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"nobody@example.com\",\"password\":\"wrong-password\"}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
