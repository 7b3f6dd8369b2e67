package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Behind a trusted proxy the client is the address of X-Forwarded-For (issue 12, row 8): log lines about WebSocket
 * and polling connections name it, and the per-address cap counts it.
 */
class ForwardedClientAddressTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger sessionLog = (Logger) LoggerFactory.getLogger(EngineSession.class);
    private JettyTestServer server;

    private void start(String... trustedProxies) throws Exception {
        SocketIoServer io = SocketIoServer.create(SocketIoConfig.builder()
                .workerThreads(2)
                .maxConnectionsPerAddress(1)
                .trustedProxies(trustedProxies)
                .build());
        server = JettyTestServer.start(io);
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        sessionLog.addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        sessionLog.detachAppender(logs);
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> handshake(String forwardedFor) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(server.http("/socket.io/?EIO=4&transport=polling"))
                        .timeout(Duration.ofSeconds(10))
                        .header("X-Forwarded-For", forwardedFor)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<String> warnings() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aPollingClientsProtocolErrorIsLoggedWithItsForwardedAddress() throws Exception {
        start("127.0.0.1");
        String open = handshake("192.0.2.1, 198.51.100.23").body();
        String sid = open.substring(9, open.indexOf('"', 9));

        HTTP.send(
                HttpRequest.newBuilder(server.http("/socket.io/?EIO=4&transport=polling&sid=" + sid))
                        .timeout(Duration.ofSeconds(10))
                        .header("X-Forwarded-For", "198.51.100.23")
                        .POST(HttpRequest.BodyPublishers.ofString("a", StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        await().untilAsserted(() -> assertThat(warnings())
                .anyMatch(line -> line.startsWith("Closing Engine.IO session of 198.51.100.23 (" + sid + ")")));
        assertThat(warnings()).noneMatch(line -> line.contains("of unknown") || line.contains("192.0.2.1"));
    }

    @Test
    void aWebSocketsProtocolErrorIsLoggedWithItsForwardedAddress() throws Exception {
        start("127.0.0.1");
        WebSocket ws = HTTP.newWebSocketBuilder()
                .header("X-Forwarded-For", "198.51.100.42")
                .buildAsync(
                        URI.create("ws://127.0.0.1:" + server.port + "/socket.io/?EIO=4&transport=websocket"),
                        new WebSocket.Listener() {})
                .get(10, TimeUnit.SECONDS);
        try {
            ws.sendText("a", true).get(10, TimeUnit.SECONDS);

            await().untilAsserted(() -> assertThat(warnings())
                    .anyMatch(line -> line.startsWith("Closing Engine.IO session of 198.51.100.42 (")));
        } finally {
            ws.abort();
        }
    }

    @Test
    void thePerAddressCapCountsTheForwardedAddress() throws Exception {
        start("127.0.0.0/8");
        assertThat(handshake("198.51.100.1").statusCode()).isEqualTo(200);
        assertThat(handshake("198.51.100.2").statusCode()).isEqualTo(200);
        // the client's own entry left of the proxy's does not make it someone else
        assertThat(handshake("203.0.113.9, 198.51.100.1").statusCode()).isEqualTo(429);
    }

    @Test
    void withoutATrustedProxyTheHeaderIsIgnored() throws Exception {
        start();
        assertThat(handshake("198.51.100.1").statusCode()).isEqualTo(200);
        assertThat(handshake("198.51.100.2").statusCode()).isEqualTo(429);
    }
}
