package io.fatechat.examples.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fatechat.core.ChatEngine;
import io.fatechat.examples.server.ReferenceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The bench profile mints tokens for any e-mail: it must be off unless asked for, refuse to start off loopback,
 * and hand out tokens the engine accepts.
 */
class BenchProfileIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @TempDir
    Path dataDir;

    @Test
    void tokensAreEngineTokensOfStoredUsersAndBadPrefixesAre400() throws Exception {
        try (ConfigurableApplicationContext server = start("--spring.profiles.active=bench")) {
            int port = ((WebServerApplicationContext) server).getWebServer().getPort();
            ChatEngine engine = server.getBean(ChatEngine.class);

            HttpResponse<String> first = get(port, "/bench/tokens?prefix=load&from=3&count=2");
            assertThat(first.statusCode()).isEqualTo(200);
            JsonNode tokens = JSON.readTree(first.body());
            assertThat(tokens).hasSize(2);
            assertThat(engine.authenticate(tokens.get(0).asText())).isEqualTo("load3@bench.local");
            assertThat(engine.authenticate(tokens.get(1).asText())).isEqualTo("load4@bench.local");

            // Again for users stored by the first call, and for a prefix in capitals (e-mails are lower-cased).
            JsonNode again = JSON.readTree(
                    get(port, "/bench/tokens?prefix=Load&from=3&count=1").body());
            assertThat(engine.authenticate(again.get(0).asText())).isEqualTo("load3@bench.local");

            HttpResponse<String> bad = get(port, "/bench/tokens?prefix=a%20b&count=1");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).path("code").asText()).isEqualTo("bad_request");
        }
    }

    @Test
    void theBenchApiIsOffWithoutTheProfile() throws Exception {
        try (ConfigurableApplicationContext server = start()) {
            int port = ((WebServerApplicationContext) server).getWebServer().getPort();
            assertThat(server.getBeansOfType(BenchEndpoints.class)).isEmpty();
            HttpResponse<String> tokens = get(port, "/bench/tokens?count=1");
            assertThat(tokens.statusCode()).isEqualTo(404);
            assertThat(tokens.body()).doesNotContain("bench.local").doesNotStartWith("[");
        }
    }

    @Test
    void theBenchProfileRefusesToStartOffLoopback() {
        assertThatThrownBy(() -> start("--spring.profiles.active=bench", "--server.address=0.0.0.0")
                        .close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loopback");
    }

    private ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--fatechat.jdbc.url=jdbc:h2:file:"
                        + dataDir.resolve("db/fatechat").toAbsolutePath()
                        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE",
                "--fatechat.auth.bcrypt-cost=4",
                "--fatechat.auth.token-secret=bench-profile-test-secret-of-32-bytes-at-least"));
        args.addAll(List.of(extra));
        return SpringApplication.run(ReferenceServer.class, args.toArray(String[]::new));
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
