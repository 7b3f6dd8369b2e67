package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.CloseReason;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Engine.IO v4 over both transports, against a plain Engine.IO echo server in an embedded Jetty. */
class EngineIoProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordingMetrics metrics = new RecordingMetrics();
    private JettyTestServer server;
    private PollingTestClient http;

    private void start(Consumer<SocketIoConfig.Builder> customizer) throws Exception {
        SocketIoConfig.Builder builder =
                SocketIoConfig.builder().path("/engine.io/").workerThreads(2).metrics(metrics);
        customizer.accept(builder);
        EngineIoServer eio = EngineIoServer.create(builder.build());
        eio.onConnection(socket -> {
            socket.onText(socket::send);
            socket.onBinary(socket::send);
        });
        server = JettyTestServer.start(null, eio);
        http = new PollingTestClient(server, "/engine.io/");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pollingHandshakeAnnouncesTheConfiguration() throws Exception {
        start(c -> c.pingInterval(Duration.ofMillis(1234))
                .pingTimeout(Duration.ofMillis(567))
                .maxPayload(4321));
        HttpResponse<String> r = http.get("EIO=4&transport=polling");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("0");
        JsonNode open = JSON.readTree(r.body().substring(1));
        assertThat(open.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");
        assertThat(open.get("sid").textValue()).isNotBlank();
        assertThat(open.get("upgrades").toString()).isEqualTo("[\"websocket\"]");
        assertThat(open.get("pingInterval").intValue()).isEqualTo(1234);
        assertThat(open.get("pingTimeout").intValue()).isEqualTo(567);
        assertThat(open.get("maxPayload").intValue()).isEqualTo(4321);
    }

    @Test
    void webSocketHandshakeOffersNoUpgrade() throws Exception {
        start(c -> {});
        try (WsTestClient ws = WsTestClient.connect(server.ws("/engine.io/?EIO=4&transport=websocket"))) {
            JsonNode open = JSON.readTree(ws.nextText().substring(1));
            assertThat(open.get("upgrades").isEmpty()).isTrue();
            ws.send("4hello");
            assertThat(ws.nextText()).isEqualTo("4hello");
            ws.send(new byte[] {1, 2, 3});
            assertThat((byte[]) ws.next()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void refusesBadProtocolVersionTransportAndMethod() throws Exception {
        start(c -> {});
        assertThat(http.get("transport=polling").statusCode()).isEqualTo(400);
        assertThat(http.get("EIO=3&transport=polling").statusCode()).isEqualTo(400);
        assertThat(http.get("EIO=4").statusCode()).isEqualTo(400);
        assertThat(http.get("EIO=4&transport=carrier-pigeon").statusCode()).isEqualTo(400);
        assertThat(http.post("EIO=4&transport=polling", "").statusCode()).isEqualTo(400);
        assertThat(http.send(HttpRequest.newBuilder(http.uri("EIO=4&transport=polling"))
                                .PUT(HttpRequest.BodyPublishers.noBody())
                                .build())
                        .statusCode())
                .isEqualTo(400);
        assertThat(http.poll("no-such-sid").statusCode()).isEqualTo(400);
        // refused before the upgrade (HTTP 400), not upgraded and closed
        assertThatThrownBy(() -> WsTestClient.connect(server.ws("/engine.io/?EIO=abc&transport=websocket"))
                        .close())
                .hasMessageContaining("400");
    }

    @Test
    void pollingBatchesTextAndBase64BinaryPacketsBothWays() throws Exception {
        start(c -> {});
        String sid = http.open();
        HttpResponse<String> push = http.push(sid, "4one\u001e4two\u001ebAQIDBA==\u001e4three");
        assertThat(push.statusCode()).isEqualTo(200);
        assertThat(push.body()).isEqualTo("ok");
        HttpResponse<String> poll = http.poll(sid);
        assertThat(poll.statusCode()).isEqualTo(200);
        assertThat(poll.body()).isEqualTo("4one\u001e4two\u001ebAQIDBA==\u001e4three");
    }

    @Test
    void upgradesFromPollingToWebSocketWithProbe() throws Exception {
        start(c -> {});
        String sid = http.open();
        CompletableFuture<HttpResponse<String>> pendingPoll = http.getAsync("EIO=4&transport=polling&sid=" + sid);
        try (WsTestClient ws = WsTestClient.connect(server.ws("/engine.io/?EIO=4&transport=websocket&sid=" + sid))) {
            ws.send("2probe");
            assertThat(ws.nextText()).isEqualTo("3probe");
            HttpResponse<String> released = pendingPoll.get();
            assertThat(released.statusCode()).isEqualTo(200);
            assertThat(released.body()).isEqualTo("6");
            ws.send("5");
            ws.send("4over websocket");
            assertThat(ws.nextText()).isEqualTo("4over websocket");
            await().untilAsserted(() -> assertThat(metrics.upgraded).hasValue(1));
            assertThat(http.poll(sid).statusCode()).isEqualTo(400);
            // a second upgrade of the session is upgraded and closed (as the Node.js server and its suite do)
            try (WsTestClient second =
                    WsTestClient.connect(server.ws("/engine.io/?EIO=4&transport=websocket&sid=" + sid))) {
                assertThat(second.awaitClosed()).isNotNull();
            }
            ws.send("4still here");
            assertThat(ws.nextText()).isEqualTo("4still here");
        }
    }

    @Test
    void sendsPingsAndKeepsAnsweringClients() throws Exception {
        start(c -> c.pingInterval(Duration.ofMillis(50)).pingTimeout(Duration.ofMillis(2000)));
        String sid = http.open();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> poll = http.poll(sid);
            assertThat(poll.body()).isEqualTo("2");
            assertThat(http.push(sid, "3").statusCode()).isEqualTo(200);
        }
        http.push(sid, "4alive");
        // with a 50 ms interval the next ping may share the batch
        assertThat(http.poll(sid).body().split("\u001e"))
                .isSubsetOf("2", "4alive")
                .contains("4alive");
    }

    @Test
    void closesWebSocketSessionWithoutPong() throws Exception {
        start(c -> c.pingInterval(Duration.ofMillis(50)).pingTimeout(Duration.ofMillis(50)));
        try (WsTestClient ws = WsTestClient.connect(server.ws("/engine.io/?EIO=4&transport=websocket"))) {
            ws.answerPings(false);
            ws.handshake();
            assertThat(ws.nextText()).isEqualTo("2");
            ws.awaitClosed();
            await().untilAsserted(() ->
                    assertThat(metrics.closedFor(DisconnectReason.PING_TIMEOUT)).isEqualTo(1));
        }
    }

    @Test
    void closesPollingSessionWithoutPong() throws Exception {
        start(c -> c.pingInterval(Duration.ofMillis(50)).pingTimeout(Duration.ofMillis(50)));
        String sid = http.open();
        await().untilAsserted(() ->
                assertThat(metrics.closedFor(DisconnectReason.PING_TIMEOUT)).isEqualTo(1));
        assertThat(http.poll(sid).statusCode()).isEqualTo(400);
    }

    @Test
    void clientCloseEndsTheWaitingPollWithNoop() throws Exception {
        start(c -> {});
        String sid = http.open();
        CompletableFuture<HttpResponse<String>> poll = http.getAsync("EIO=4&transport=polling&sid=" + sid);
        awaitPollParked(sid);
        assertThat(http.push(sid, "1").statusCode()).isEqualTo(200);
        assertThat(poll.get().body()).isEqualTo("6");
        assertThat(http.poll(sid).statusCode()).isEqualTo(400);
    }

    @Test
    void pollRacingTheClientCloseStillGetsNoopOnce() throws Exception {
        start(c -> {});
        String sid = http.open();
        assertThat(http.push(sid, "1").statusCode()).isEqualTo(200);
        HttpResponse<String> racing = http.poll(sid);
        assertThat(racing.statusCode()).isEqualTo(200);
        assertThat(racing.body()).isEqualTo("6");
        assertThat(http.poll(sid).statusCode()).isEqualTo(400);
    }

    /** Waits until a GET is parked (a POST of a noop is harmless and proves the session is alive). */
    private void awaitPollParked(String sid) {
        await().pollDelay(Duration.ofMillis(20))
                .untilAsserted(
                        () -> assertThat(http.push(sid, "6").statusCode()).isEqualTo(200));
    }

    @Test
    void duplicatePollsCloseTheSession() throws Exception {
        start(c -> {});
        String sid = http.open();
        CompletableFuture<HttpResponse<String>> first = http.getAsync("EIO=4&transport=polling&sid=" + sid);
        HttpResponse<String> second;
        // the second poll either overlaps (400, first gets "1") or, if it raced ahead, the first one is the duplicate
        second = http.poll(sid);
        HttpResponse<String> one = first.get();
        assertThat(java.util.List.of(one.statusCode(), second.statusCode())).contains(400);
        assertThat(java.util.List.of(one.body(), second.body())).contains("1");
        assertThat(http.poll(sid).statusCode()).isEqualTo(400);
        assertThat(metrics.protocolErrors).containsKey("duplicate poll");
    }

    @Test
    void invalidPacketClosesPollingSession() throws Exception {
        start(c -> {});
        String sid = http.open();
        assertThat(http.push(sid, "abc").statusCode()).isEqualTo(400);
        assertThat(http.poll(sid).statusCode()).isEqualTo(400);
        String sid2 = http.open();
        assertThat(http.push(sid2, "bnot base64!").statusCode()).isEqualTo(400);
        assertThat(http.poll(sid2).statusCode()).isEqualTo(400);
    }

    @Test
    void invalidPacketClosesWebSocketSession() throws Exception {
        start(c -> {});
        try (WsTestClient ws = WsTestClient.connect(server.ws("/engine.io/?EIO=4&transport=websocket"))) {
            ws.handshake();
            ws.send("abc");
            assertThat(ws.awaitClosed().getCloseCode().getCode())
                    .isEqualTo(CloseReason.CloseCodes.PROTOCOL_ERROR.getCode());
        }
    }

    @Test
    void payloadOverMaxPayloadClosesBothTransports() throws Exception {
        start(c -> c.maxPayload(1000));
        String sid = http.open();
        assertThat(http.push(sid, "4" + "x".repeat(2000)).statusCode()).isEqualTo(413);
        assertThat(http.poll(sid).statusCode()).isEqualTo(400);
        try (WsTestClient ws = WsTestClient.connect(server.ws("/engine.io/?EIO=4&transport=websocket"))) {
            ws.handshake();
            ws.send("4" + "x".repeat(2000));
            assertThat(ws.awaitClosed().getCloseCode().getCode()).isEqualTo(CloseReason.CloseCodes.TOO_BIG.getCode());
        }
        await().untilAsserted(() ->
                assertThat(metrics.protocolErrors.get("payload too large")).hasValue(2));
    }

    @Test
    void sameOriginOnlyByDefault() throws Exception {
        start(c -> {});
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(http.uri("EIO=4&transport=polling"))
                .header("Origin", "http://evil.example")
                .GET()
                .build());
        assertThat(foreign.statusCode()).isEqualTo(403);
        HttpResponse<String> same = http.send(HttpRequest.newBuilder(http.uri("EIO=4&transport=polling"))
                .header("Origin", "http://127.0.0.1:" + server.port)
                .GET()
                .build());
        assertThat(same.statusCode()).isEqualTo(200);
        // refused before the upgrade (HTTP 403, see HandshakeRefusalTest): the client never gets a WebSocket
        assertThatThrownBy(() -> WsTestClient.connect(
                                server.ws("/engine.io/?EIO=4&transport=websocket"),
                                Map.of("Origin", "http://evil.example"))
                        .close())
                .isInstanceOf(Exception.class);
    }

    @Test
    void allowedOriginsGetCorsWithCredentials() throws Exception {
        start(c -> c.allowedOrigins("https://chat.example"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("EIO=4&transport=polling"))
                .header("Origin", "https://chat.example")
                .GET()
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("https://chat.example");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(http.uri("EIO=4&transport=polling"))
                .header("Origin", "https://chat.example")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
                .contains("content-type");
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(http.uri("EIO=4&transport=polling"))
                .header("Origin", "https://other.example")
                .GET()
                .build());
        assertThat(other.statusCode()).isEqualTo(403);
        try (WsTestClient ws = WsTestClient.connect(
                server.ws("/engine.io/?EIO=4&transport=websocket"), Map.of("Origin", "https://chat.example"))) {
            ws.handshake();
            ws.send("4hi");
            assertThat(ws.nextText()).isEqualTo("4hi");
        }
    }
}
