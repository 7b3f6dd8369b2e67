package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket's message buffers are not sized to maxPayload: containers such as Tomcat allocate them per socket
 * up front, which made every connection cost megabytes. Messages larger than the buffer, up to maxPayload,
 * still arrive whole; larger ones are refused with 1009.
 */
class WebSocketBufferTest {

    private static final int MAX_PAYLOAD = 1_000_000;

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final CompletableFuture<EngineSession> connection = new CompletableFuture<>();
    private JettyTestServer server;

    private void start(int maxPayload) throws Exception {
        EngineIoServer eio = EngineIoServer.create(SocketIoConfig.builder()
                .path("/engine.io/")
                .workerThreads(2)
                .maxPayload(maxPayload)
                .metrics(metrics)
                .build());
        eio.onConnection(socket -> {
            connection.complete(((EngineSocketImpl) socket).session());
            socket.onText(socket::send);
            socket.onBinary(socket::send);
        });
        server = JettyTestServer.start(null, eio);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private WsTestClient connect() throws Exception {
        WsTestClient ws = WsTestClient.connect(server.ws("/engine.io/?EIO=4&transport=websocket"));
        ws.handshake();
        return ws;
    }

    private Session serverSession() throws Exception {
        return ((WebSocketTransport) connection.get(10, TimeUnit.SECONDS).transport()).webSocket();
    }

    @Test
    void messageBuffersAreSmallWhateverTheMaxPayload() throws Exception {
        start(MAX_PAYLOAD);
        try (WsTestClient ws = connect()) {
            Session session = serverSession();
            assertThat(session.getMaxTextMessageBufferSize())
                    .isLessThanOrEqualTo(WebSocketEndpoint.MESSAGE_BUFFER)
                    .isLessThan(MAX_PAYLOAD);
            assertThat(session.getMaxBinaryMessageBufferSize()).isLessThanOrEqualTo(WebSocketEndpoint.MESSAGE_BUFFER);

            ws.send("4hello");
            assertThat(ws.nextText()).isEqualTo("4hello");
            // sending and receiving a frame does not grow them either
            assertThat(session.getMaxTextMessageBufferSize()).isLessThanOrEqualTo(WebSocketEndpoint.MESSAGE_BUFFER);
            assertThat(session.getMaxBinaryMessageBufferSize()).isLessThanOrEqualTo(WebSocketEndpoint.MESSAGE_BUFFER);
        }
    }

    @Test
    void aSmallMaxPayloadIsTheBufferSize() throws Exception {
        start(100);
        try (WsTestClient ws = connect()) {
            assertThat(serverSession().getMaxTextMessageBufferSize()).isEqualTo(100);
        }
    }

    @Test
    void messagesLargerThanTheBufferArriveWhole() throws Exception {
        start(MAX_PAYLOAD);
        try (WsTestClient ws = connect()) {
            String big = "4" + "x".repeat(50_000);
            ws.send(big);
            assertThat(ws.nextText()).isEqualTo(big);

            String part = "y".repeat(WebSocketEndpoint.MESSAGE_BUFFER);
            ws.sendInParts("4" + part, part, part + "é");
            assertThat(ws.nextText()).isEqualTo("4" + part + part + part + "é");

            byte[] chunk = new byte[WebSocketEndpoint.MESSAGE_BUFFER];
            chunk[0] = 7;
            ws.sendInParts(chunk, chunk, new byte[] {9});
            byte[] echoed = (byte[]) ws.next();
            assertThat(echoed).hasSize(2 * chunk.length + 1);
            assertThat(echoed[chunk.length]).isEqualTo((byte) 7);
            assertThat(echoed[echoed.length - 1]).isEqualTo((byte) 9);

            ws.send("4after");
            assertThat(ws.nextText()).isEqualTo("4after");
        }
    }

    @Test
    void aMessageOverMaxPayloadInPartsIsRefusedWith1009() throws Exception {
        start(2_500);
        try (WsTestClient ws = connect()) {
            String part = "z".repeat(1_000);
            ws.sendInParts("4" + part, part, part);
            assertThat(ws.awaitClosed().getCloseCode().getCode()).isEqualTo(CloseReason.CloseCodes.TOO_BIG.getCode());
        }
        await().untilAsserted(() ->
                assertThat(metrics.protocolErrors.get("payload too large")).hasValue(1));
    }

    @Test
    void aBinaryMessageOverMaxPayloadInPartsIsRefusedWith1009() throws Exception {
        start(2_500);
        try (WsTestClient ws = connect()) {
            ws.sendInParts(new byte[1_000], new byte[1_000], new byte[1_000]);
            assertThat(ws.awaitClosed().getCloseCode().getCode()).isEqualTo(CloseReason.CloseCodes.TOO_BIG.getCode());
        }
    }
}
