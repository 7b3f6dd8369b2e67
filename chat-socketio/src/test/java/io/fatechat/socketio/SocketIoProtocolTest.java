package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Socket.IO v5 on top of Engine.IO, with raw frames so every byte on the wire is checked. */
class SocketIoProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WS = "/socket.io/?EIO=4&transport=websocket";

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<SocketIoSocket> connected = new CopyOnWriteArrayList<>();
    private final Map<String, DisconnectReason> disconnects = new ConcurrentHashMap<>();
    private final AtomicInteger securedEvents = new AtomicInteger();
    private final CountDownLatch unblock = new CountDownLatch(1);
    private SocketIoServer io;
    private JettyTestServer server;

    private void start(Consumer<SocketIoConfig.Builder> customizer) throws Exception {
        SocketIoConfig.Builder builder =
                SocketIoConfig.builder().workerThreads(3).metrics(metrics);
        customizer.accept(builder);
        io = SocketIoServer.create(builder.build());
        Consumer<SocketIoSocket> handlers = socket -> {
            connected.add(socket);
            socket.onDisconnect(reason -> disconnects.put(socket.id(), reason));
            socket.emit("auth", socket.handshake().auth());
            socket.on("message", (args, ack) -> socket.emit("message-back", spread(args)));
            socket.on("message-with-ack", (args, ack) -> ack.send(spread(args)));
            socket.on("join", (args, ack) -> {
                socket.join(args.get(0).textValue());
                ack.send("joined");
            });
            socket.on("block", (args, ack) -> {
                try {
                    unblock.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        };
        io.onConnection(handlers);
        io.namespace("/custom").onConnection(handlers);
        io.namespace("/secure")
                .use(handshake -> {
                    if (!"good".equals(handshake.authField("token"))) {
                        throw new ConnectRefusedException("unauthorized");
                    }
                    return "user-1";
                })
                .onConnection(socket -> {
                    connected.add(socket);
                    socket.on("message", (args, ack) -> {
                        securedEvents.incrementAndGet();
                        socket.emit("principal", socket.principal());
                    });
                });
        server = JettyTestServer.start(io);
    }

    @AfterEach
    void stop() throws Exception {
        unblock.countDown();
        if (server != null) {
            server.close();
        }
    }

    private static Object[] spread(ArrayNode args) {
        Object[] out = new Object[args.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = args.get(i);
        }
        return out;
    }

    private WsTestClient client(String connectPacket) throws Exception {
        WsTestClient ws = WsTestClient.connect(server.ws(WS));
        String answer = ws.connectSocketIo(connectPacket);
        assertThat(answer)
                .startsWith(
                        connectPacket.startsWith("40/")
                                ? connectPacket.substring(0, connectPacket.indexOf(',') + 1)
                                : "40{");
        return ws;
    }

    /** A connected client of "/" that has read the "auth" event. */
    private WsTestClient client() throws Exception {
        WsTestClient ws = client("40");
        assertThat(ws.nextText()).isEqualTo("42[\"auth\",{}]");
        return ws;
    }

    private static void assertEchoWorks(WsTestClient ws) throws Exception {
        ws.send("42[\"message\",\"still fine\"]");
        assertThat(ws.nextText()).isEqualTo("42[\"message-back\",\"still fine\"]");
    }

    @Test
    void connectsToDefaultAndCustomNamespacesWithAuthPayload() throws Exception {
        start(c -> {});
        try (WsTestClient ws = WsTestClient.connect(server.ws(WS))) {
            String answer = ws.connectSocketIo("40{\"token\":\"123\"}");
            JsonNode sid = JSON.readTree(answer.substring(2));
            assertThat(sid.fieldNames()).toIterable().containsExactly("sid");
            assertThat(ws.nextText()).isEqualTo("42[\"auth\",{\"token\":\"123\"}]");
            ws.send("40/custom,{\"token\":\"abc\"}");
            assertThat(ws.nextText()).startsWith("40/custom,{\"sid\":");
            assertThat(ws.nextText()).isEqualTo("42/custom,[\"auth\",{\"token\":\"abc\"}]");
            ws.send("42/custom,[\"message\",1,\"2\",{\"3\":[true]}]");
            assertThat(ws.nextText()).isEqualTo("42/custom,[\"message-back\",1,\"2\",{\"3\":[true]}]");
        }
    }

    @Test
    void refusesUnknownNamespaceAndKeepsTheConnection() throws Exception {
        start(c -> {});
        try (WsTestClient ws = client()) {
            ws.send("40/random");
            assertThat(ws.nextText()).isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
            assertEchoWorks(ws);
            assertThat(metrics.refused).hasValue(1);
        }
    }

    @Test
    void authorizerRefusalGivesConnectErrorAndNoEventIsProcessed() throws Exception {
        start(c -> {});
        try (WsTestClient ws = client()) {
            ws.send("40/secure,{\"token\":\"bad\"}");
            assertThat(ws.nextText()).isEqualTo("44/secure,{\"message\":\"unauthorized\"}");
            ws.send("42/secure,[\"message\",\"sneaky\"]");
            ws.awaitClosed();
            assertThat(securedEvents).hasValue(0);
            await().untilAsserted(() -> assertThat(metrics.protocolErrorCount()).isEqualTo(1));
        }
        try (WsTestClient ws = client()) {
            ws.send("40/secure,{\"token\":\"good\"}");
            assertThat(ws.nextText()).startsWith("40/secure,{\"sid\":");
            ws.send("42/secure,[\"message\"]");
            assertThat(ws.nextText()).isEqualTo("42/secure,[\"principal\",\"user-1\"]");
            assertThat(securedEvents).hasValue(1);
        }
    }

    @Test
    void acknowledgementsInBothDirections() throws Exception {
        start(c -> {});
        try (WsTestClient ws = client()) {
            ws.send("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
            assertThat(ws.nextText()).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");

            AtomicReference<ArrayNode> answer = new AtomicReference<>();
            SocketIoSocket socket = connected.get(0);
            socket.emitWithAck("question", answer::set, "how many?");
            String question = ws.nextText();
            assertThat(question).matches("42\\d+\\[\"question\",\"how many\\?\"]");
            String id = question.substring(2, question.indexOf('['));
            ws.send("43" + id + "[42,\"exactly\"]");
            await().untilAsserted(() -> assertThat(answer.get()).isNotNull());
            assertThat(answer.get().toString()).isEqualTo("[42,\"exactly\"]");

            // an ACK for an id never sent is ignored; the connection stays
            ws.send("4399[1]");
            assertEchoWorks(ws);
        }
    }

    @Test
    void binaryAttachmentsInBothDirections() throws Exception {
        start(c -> {});
        try (WsTestClient ws = client()) {
            ws.send("452-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            ws.send(new byte[] {1, 2, 3});
            ws.send(new byte[] {4, 5, 6});
            assertThat(ws.nextText())
                    .isEqualTo(
                            "452-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            assertThat((byte[]) ws.next()).containsExactly(1, 2, 3);
            assertThat((byte[]) ws.next()).containsExactly(4, 5, 6);

            ws.send(
                    "452-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            ws.send(new byte[] {7});
            ws.send(new byte[] {8});
            assertThat(ws.nextText())
                    .isEqualTo("462-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            assertThat((byte[]) ws.next()).containsExactly(7);
            assertThat((byte[]) ws.next()).containsExactly(8);

            Map<String, Object> file = new java.util.LinkedHashMap<>();
            file.put("name", "a.bin");
            file.put("data", new byte[] {9, 9});
            connected.get(0).emit("file", file);
            assertThat(ws.nextText())
                    .isEqualTo("451-[\"file\",{\"name\":\"a.bin\",\"data\":{\"_placeholder\":true,\"num\":0}}]");
            assertThat((byte[]) ws.next()).containsExactly(9, 9);
        }
    }

    @Test
    void binaryAttachmentsAreBase64OverPolling() throws Exception {
        start(c -> {});
        PollingTestClient http = new PollingTestClient(server, "/socket.io/");
        String sid = http.open();
        http.push(sid, "40");
        assertThat(http.poll(sid).body()).matches("40\\{\"sid\":\"[^\"]+\"}\u001e42\\[\"auth\",\\{}]");
        connected.get(0).emit("file", (Object) new byte[] {1, 2, 3, 4});
        assertThat(http.poll(sid).body()).isEqualTo("451-[\"file\",{\"_placeholder\":true,\"num\":0}]\u001ebAQIDBA==");
    }

    @Test
    void disconnectsInBothDirections() throws Exception {
        start(c -> {});
        try (WsTestClient ws = client()) {
            ws.send("41");
            await().untilAsserted(
                            () -> assertThat(disconnects).containsValue(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT));
            ws.send("40/custom,");
            assertThat(ws.nextText()).startsWith("40/custom,");
            assertThat(ws.nextText()).startsWith("42/custom,[\"auth\"");
            SocketIoSocket custom = connected.get(1);
            custom.disconnect(false);
            assertThat(ws.nextText()).isEqualTo("41/custom,");
            await().untilAsserted(() ->
                    assertThat(disconnects.get(custom.id())).isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT));
            assertThat(custom.connected()).isFalse();
            assertThat(ws.isOpen()).isTrue();
        }
    }

    @Test
    void closesConnectionThatJoinsNoNamespaceWithinConnectTimeout() throws Exception {
        start(c -> c.connectTimeout(Duration.ofMillis(100)));
        try (WsTestClient ws = WsTestClient.connect(server.ws(WS))) {
            ws.handshake();
            ws.awaitClosed();
        }
        await().untilAsserted(() ->
                assertThat(metrics.closedFor(DisconnectReason.CONNECT_TIMEOUT)).isEqualTo(1));
    }

    @Test
    void roomBroadcastIsEncodedOnceForAllRecipients() throws Exception {
        start(c -> {});
        List<WsTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                WsTestClient ws = client();
                ws.send("421[\"join\",\"lobby\"]");
                assertThat(ws.nextText()).isEqualTo("431[\"joined\"]");
                clients.add(ws);
            }
            try (WsTestClient outsider = client()) {
                int before = metrics.encoded.get();
                int recipients = io.to("lobby").emit("news", Map.of("text", "hello"));
                assertThat(metrics.encoded.get() - before).isEqualTo(1);
                assertThat(recipients).isEqualTo(5);
                for (WsTestClient ws : clients) {
                    assertThat(ws.nextText()).isEqualTo("42[\"news\",{\"text\":\"hello\"}]");
                }
                // a socket's own broadcast skips itself
                SocketIoSocket first = connected.get(0);
                assertThat(first.to("lobby").emit("typing", "first")).isEqualTo(4);
                for (WsTestClient ws : clients.subList(1, clients.size())) {
                    assertThat(ws.nextText()).isEqualTo("42[\"typing\",\"first\"]");
                }
                assertThat(io.to("lobby").except(connected.get(1).id()).emit("x"))
                        .isEqualTo(4);
                assertEchoWorks(outsider);
            }
        } finally {
            for (WsTestClient ws : clients) {
                ws.close();
            }
        }
    }

    @Test
    void slowConsumerIsDisconnectedOthersUnaffected() throws Exception {
        start(c -> c.maxQueuedPackets(16));
        PollingTestClient http = new PollingTestClient(server, "/socket.io/");
        String sid = http.open();
        http.push(sid, "40");
        assertThat(http.poll(sid).body()).contains("42[\"auth\"");
        try (WsTestClient healthy = client()) {
            SocketIoSocket slow = connected.get(0);
            for (int i = 0; i < 40; i++) {
                slow.emit("tick", i); // the polling client never polls again
            }
            io.to(connected.get(1).id()).emit("tick", "healthy");
            await().untilAsserted(() -> assertThat(metrics.slowConsumers).hasValue(1));
            await().untilAsserted(
                            () -> assertThat(disconnects.get(slow.id())).isEqualTo(DisconnectReason.SLOW_CONSUMER));
            assertThat(http.poll(sid).statusCode()).isEqualTo(400);
            assertThat(healthy.nextText()).isEqualTo("42[\"tick\",\"healthy\"]");
            assertEchoWorks(healthy);
            assertThat(metrics.slowConsumers).hasValue(1);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "4abc", // unknown Socket.IO packet type
                "49", // unknown Socket.IO packet type
                "x", // unknown Engine.IO packet type
                "", // empty frame
                "42{}", // EVENT payload not an array
                "42[]", // EVENT without a name
                "42[\"connect\"]", // reserved event name
                "42abc[\"message-with-ack\",1]", // invalid ack id
                "42[\"message\",", // invalid JSON
                "42[\"message\"]trailing", // JSON followed by garbage
                "42/nowhere,[\"message\"]", // EVENT before CONNECT to that namespace
                "43[1]", // ACK without id
                "4312{\"a\":1}", // ACK payload not an array
                "44{\"message\":\"x\"}", // CONNECT_ERROR from a client
                "40[1]", // CONNECT payload not an object
                "4512-[\"message\"]", // too many attachments
            })
    void malformedPacketClosesOnlyThatConnection(String frame) throws Exception {
        start(c -> {});
        try (WsTestClient healthy = client();
                WsTestClient bad = client()) {
            bad.send(frame);
            bad.awaitClosed();
            await().untilAsserted(() -> assertThat(metrics.protocolErrorCount()).isEqualTo(1));
            assertEchoWorks(healthy);
        }
    }

    @Test
    void binaryFrameWithoutBinaryPacketCloses() throws Exception {
        start(c -> {});
        try (WsTestClient healthy = client();
                WsTestClient bad = client()) {
            bad.send(new byte[] {1, 2});
            bad.awaitClosed();
            assertEchoWorks(healthy);
        }
    }

    @Test
    void placeholderOutOfRangeCloses() throws Exception {
        start(c -> {});
        try (WsTestClient healthy = client();
                WsTestClient bad = client()) {
            bad.send("451-[\"message\",{\"_placeholder\":true,\"num\":3}]");
            bad.send(new byte[] {1});
            bad.awaitClosed();
            assertEchoWorks(healthy);
        }
    }

    @Test
    void payloadOverMaxPayloadClosesOnlyThatConnection() throws Exception {
        start(c -> c.maxPayload(1000));
        try (WsTestClient healthy = client();
                WsTestClient bad = client()) {
            bad.send("42[\"message\",\"" + "x".repeat(2000) + "\"]");
            bad.awaitClosed();
            assertEchoWorks(healthy);
        }
    }

    @Test
    void floodFromOneClientClosesItOthersUnaffected() throws Exception {
        start(c -> c.maxInboundQueue(4));
        try (WsTestClient healthy = client();
                WsTestClient flooder = client()) {
            flooder.send("42[\"block\"]");
            for (int i = 0; i < 50 && flooder.isOpen(); i++) {
                try {
                    flooder.send("42[\"message\"," + i + "]");
                } catch (Exception closedMeanwhile) {
                    break;
                }
            }
            flooder.awaitClosed();
            await().untilAsserted(() ->
                    assertThat(metrics.closedFor(DisconnectReason.FLOOD)).isEqualTo(1));
            assertEchoWorks(healthy);
        }
    }

    @Test
    void pollingClientUpgradesAndKeepsItsSockets() throws Exception {
        start(c -> {});
        PollingTestClient http = new PollingTestClient(server, "/socket.io/");
        String sid = http.open();
        http.push(sid, "40");
        assertThat(http.poll(sid).body()).contains("42[\"auth\"");
        try (WsTestClient ws = WsTestClient.connect(server.ws(WS + "&sid=" + sid))) {
            ws.send("2probe");
            assertThat(ws.nextText()).isEqualTo("3probe");
            ws.send("5");
            assertEchoWorks(ws);
            assertThat(connected.get(0).transport()).isEqualTo("websocket");
        }
    }

    @Test
    void serverCloseDisconnectsEveryone() throws Exception {
        start(c -> {});
        try (WsTestClient ws = client()) {
            io.close();
            ws.awaitClosed();
            await().untilAsserted(() -> assertThat(disconnects).containsValue(DisconnectReason.SERVER_SHUTTING_DOWN));
            assertThat(io.connectionCount()).isZero();
        }
    }
}
