package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hook connection state recovery needs: an authorizer reads the client's {@code pid}/{@code offset} and
 * accepts with a pid, which the CONNECT answer carries as Socket.IO v5 clients expect.
 */
class ConnectionRecoveryHookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WS = "/socket.io/?EIO=4&transport=websocket";

    private final List<String> seenPids = new CopyOnWriteArrayList<>();
    private final List<String> seenOffsets = new CopyOnWriteArrayList<>();
    private final List<SocketIoSocket> sockets = new CopyOnWriteArrayList<>();
    private JettyTestServer server;

    @BeforeEach
    void start() throws Exception {
        SocketIoServer io =
                SocketIoServer.create(SocketIoConfig.builder().workerThreads(2).build());
        io.namespace("/").use(handshake -> {
            seenPids.add(String.valueOf(handshake.recoveryPid()));
            seenOffsets.add(String.valueOf(handshake.recoveryOffset()));
            // a known pid is "recovered" (answered with the same pid), anything else gets a fresh one
            String pid = "known-pid".equals(handshake.recoveryPid()) ? "known-pid" : "fresh-pid";
            return ConnectAcceptance.of("user-1", pid);
        });
        io.onConnection(socket -> {
            sockets.add(socket);
            socket.emit("auth", socket.handshake().auth());
        });
        // a namespace whose authorizer returns a bare principal: no pid in the answer
        io.namespace("/plain").use(handshake -> "user-2").onConnection(sockets::add);
        server = JettyTestServer.start(io);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void connectAnswerCarriesThePidTheAuthorizerChose() throws Exception {
        try (WsTestClient ws = WsTestClient.connect(server.ws(WS))) {
            JsonNode answer = JSON.readTree(ws.connectSocketIo("40").substring(2));

            assertThat(answer.fieldNames()).toIterable().containsExactly("sid", "pid");
            assertThat(answer.get("pid").textValue()).isEqualTo("fresh-pid");
            assertThat(seenPids).containsExactly("null");
            assertThat(ws.nextText()).isEqualTo("42[\"auth\",{}]");
            assertThat(sockets).singleElement().satisfies(s -> {
                assertThat(s.pid()).isEqualTo("fresh-pid");
                assertThat(s.principal()).isEqualTo("user-1");
                assertThat(s.id()).isEqualTo(answer.get("sid").textValue());
            });
        }
    }

    @Test
    void authorizerAndConnectionHandlerSeeTheClientsPidAndOffset() throws Exception {
        try (WsTestClient ws = WsTestClient.connect(server.ws(WS))) {
            String auth = "{\"token\":\"t\",\"pid\":\"known-pid\",\"offset\":\"42-7\"}";
            JsonNode answer = JSON.readTree(ws.connectSocketIo("40" + auth).substring(2));

            assertThat(answer.get("pid").textValue()).isEqualTo("known-pid");
            assertThat(seenPids).containsExactly("known-pid");
            assertThat(seenOffsets).containsExactly("42-7");
            assertThat(ws.nextText()).isEqualTo("42[\"auth\"," + auth + "]");
            assertThat(sockets).singleElement().satisfies(s -> {
                assertThat(s.handshake().recoveryPid()).isEqualTo("known-pid");
                assertThat(s.handshake().recoveryOffset()).isEqualTo("42-7");
            });
        }
    }

    @Test
    void withoutAnAcceptanceTheAnswerHasNoPid() throws Exception {
        try (WsTestClient ws = WsTestClient.connect(server.ws(WS))) {
            ws.connectSocketIo("40");
            ws.nextText();
            ws.send("40/plain,");
            String answer = ws.nextText();
            assertThat(answer).startsWith("40/plain,");
            JsonNode body = JSON.readTree(answer.substring("40/plain,".length()));
            assertThat(body.fieldNames()).toIterable().containsExactly("sid");
            // the connection handler runs after the answer was queued
            await().untilAsserted(() -> assertThat(sockets)
                    .filteredOn(s -> s.namespace().name().equals("/plain"))
                    .singleElement()
                    .satisfies(s -> assertThat(s.pid()).isNull()));
        }
    }

    @Test
    void blankPidIsRefusedWithTheBadValueNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConnectAcceptance.of("u", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("' '");
    }
}
