package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Handshakes the server refuses are answered as plain HTTP before any upgrade (issue 12, rows 6 to 8): a refused
 * Origin 403, a bad request 400, one address over its session cap 429; and a WebSocket knows its client's address.
 */
class HandshakeRefusalTest {

    private final CompletableFuture<String> remoteAddress = new CompletableFuture<>();
    private JettyTestServer server;

    private void start(int maxPerAddress) throws Exception {
        start(maxPerAddress, "https://chat.example");
    }

    private void start(int maxPerAddress, String... allowedOrigins) throws Exception {
        EngineIoServer eio = EngineIoServer.create(EngineIoConfig.builder()
                .workerThreads(2)
                .allowedOrigins(allowedOrigins)
                .maxConnectionsPerAddress(maxPerAddress)
                .build());
        eio.onConnection(socket -> remoteAddress.complete(socket.handshake().remoteAddress()));
        server = JettyTestServer.start(null, eio);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** The status line and body of a raw WebSocket upgrade request. */
    private String upgrade(String query, String origin) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port)) {
            socket.setSoTimeout(10_000);
            String request = "GET /engine.io/?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && !head.toString().endsWith("\r\n")) {
                head.append((char) c);
            }
            return head.toString().trim();
        }
    }

    private HttpResponse<String> poll(String query) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.http("/engine.io/?" + query))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusedOriginGets403BeforeTheUpgrade() throws Exception {
        start(200);
        assertThat(upgrade("EIO=4&transport=websocket", "https://evil.example")).startsWith("HTTP/1.1 403");
        assertThat(upgrade("EIO=4&transport=websocket", "https://chat.example")).startsWith("HTTP/1.1 101");
    }

    @Test
    void sameOriginMeansTheRequestsSchemeHostAndPort() throws Exception {
        start(200, new String[0]);
        String self = "http://127.0.0.1:" + server.port;
        assertThat(upgrade("EIO=4&transport=websocket", self)).startsWith("HTTP/1.1 101");
        // an https page of the same host and port is another origin, as is another port
        assertThat(upgrade("EIO=4&transport=websocket", "https://127.0.0.1:" + server.port))
                .startsWith("HTTP/1.1 403");
        assertThat(upgrade("EIO=4&transport=websocket", "http://127.0.0.1:" + (server.port + 1)))
                .startsWith("HTTP/1.1 403");
        assertThat(upgrade("EIO=4&transport=websocket", "http://localhost:" + server.port))
                .startsWith("HTTP/1.1 403");
    }

    @Test
    void badRequestsGet400BeforeTheUpgrade() throws Exception {
        start(200);
        assertThat(upgrade("EIO=3&transport=websocket", null)).startsWith("HTTP/1.1 400");
        assertThat(upgrade("EIO=4&transport=polling", null)).startsWith("HTTP/1.1 400");
        assertThat(upgrade("EIO=4&transport=websocket&sid=unknown", null)).startsWith("HTTP/1.1 400");
        assertThat(upgrade("transport=websocket", null)).startsWith("HTTP/1.1 400");
    }

    @Test
    void oneAddressOverItsCapGets429BeforeTheUpgradeAndOnPolling() throws Exception {
        start(2);
        assertThat(poll("EIO=4&transport=polling").statusCode()).isEqualTo(200);
        assertThat(upgrade("EIO=4&transport=websocket", null)).startsWith("HTTP/1.1 101");
        // the upgraded socket above closed with the test's raw socket: wait until its session is gone
        await().untilAsserted(() ->
                assertThat(poll("EIO=4&transport=polling").statusCode()).isEqualTo(200));

        HttpResponse<String> refused = poll("EIO=4&transport=polling");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).isEqualTo("{\"code\":4,\"message\":\"Too many connections\"}");
        assertThat(upgrade("EIO=4&transport=websocket", null)).startsWith("HTTP/1.1 429");
    }

    @Test
    void aWebSocketKnowsItsClientsAddress() throws Exception {
        start(200);
        try (WsTestClient ws = WsTestClient.connect(server.ws("/engine.io/?EIO=4&transport=websocket"))) {
            ws.handshake();
            assertThat(remoteAddress.get(10, TimeUnit.SECONDS))
                    .startsWith("127.0.0.1:")
                    .isNotEqualTo("unknown");
        }
    }
}
