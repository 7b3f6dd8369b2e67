package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an idle connection holds (issue 11: at most 8 KiB of heap each, thousands of them): the per-socket
 * structures exist only once used, a socket's own room is implied rather than stored, handshakes share the
 * common strings, and the container gets an upgrade request with nothing to keep. Not a timing or a size
 * measurement: each assertion names a structure that used to be allocated for every connection.
 */
class SocketStateTest {

    private static final String WS = "/socket.io/?EIO=4&transport=websocket";

    private final CompletableFuture<SocketImpl> connected = new CompletableFuture<>();
    private SocketIoServer io;
    private JettyTestServer server;

    private void start(java.util.function.Consumer<SocketIoSocket> onConnection) throws Exception {
        io = SocketIoServer.create(SocketIoConfig.builder().workerThreads(2).build());
        io.onConnection(socket -> {
            onConnection.accept(socket);
            connected.complete((SocketImpl) socket);
        });
        server = JettyTestServer.start(io);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private SocketImpl socket() throws Exception {
        return connected.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anIdleSocketAllocatesNoHandlerAckOrAttributeMaps() throws Exception {
        start(socket -> {});
        try (WsTestClient ws = WsTestClient.connect(server.ws(WS))) {
            assertThat(ws.connectSocketIo("40")).startsWith("40{");
            SocketImpl socket = socket();
            assertThat(socket.allocated("handlers")).isFalse();
            assertThat(socket.allocated("acks")).isFalse();
            assertThat(socket.allocated("attributes")).isFalse();
            assertThat(socket.allocated("disconnectHandlers")).isFalse();
            // in its own room without storing it, here or in the namespace
            assertThat(socket.rooms()).containsExactly(socket.id());
            assertThat(socket.roomsView()).isEmpty();
            assertThat(((NamespaceImpl) socket.namespace()).storedRooms()).isEmpty();
        }
    }

    @Test
    void eachStructureAppearsWhenFirstUsed() throws Exception {
        start(socket -> {
            socket.on("ping", (args, ack) -> ack.send("pong"));
            socket.join("lobby");
        });
        try (WsTestClient ws = WsTestClient.connect(server.ws(WS))) {
            ws.connectSocketIo("40");
            SocketImpl socket = socket();
            assertThat(socket.allocated("handlers")).isTrue();
            assertThat(socket.allocated("acks")).isFalse();
            assertThat(socket.rooms()).containsExactlyInAnyOrder(socket.id(), "lobby");
            assertThat(((NamespaceImpl) socket.namespace()).storedRooms()).containsExactly("lobby");

            ws.send("421[\"ping\"]");
            assertThat(ws.nextText()).isEqualTo("431[\"pong\"]");

            socket.emitWithAck("question", args -> {});
            assertThat(ws.nextText()).isEqualTo("420[\"question\"]");
            assertThat(socket.allocated("acks")).isTrue();

            // the own room still receives broadcasts, and can be left like any other
            io.namespace("/").to(socket.id()).emit("direct");
            assertThat(ws.nextText()).isEqualTo("42[\"direct\"]");
            socket.leave(socket.id());
            assertThat(socket.rooms()).containsExactly("lobby");
            assertThat(io.namespace("/").to(socket.id()).emit("gone")).isZero();
            socket.join(socket.id());
            assertThat(io.namespace("/").to(socket.id()).emit("back")).isEqualTo(1);
            assertThat(ws.nextText()).isEqualTo("42[\"back\"]");

            socket.leave("lobby");
            assertThat(((NamespaceImpl) socket.namespace()).storedRooms()).isEmpty();
        }
    }

    @Test
    void handshakesShareTheStringsEveryClientSends() {
        SocketIoHandshake a = handshake();
        SocketIoHandshake b = handshake();
        assertThat(a.queryParam("EIO")).isEqualTo("4").isSameAs(b.queryParam("EIO"));
        assertThat(a.queryParam("transport")).isSameAs(b.queryParam("transport"));
        assertThat(a.headers().keySet()).containsExactly("Host", "User-Agent");
        assertThat(a.headers().keySet().iterator().next())
                .isSameAs(b.headers().keySet().iterator().next());
        assertThat(a.header("user-agent")).isEqualTo("probe");
        assertThat(a.headers().get("HOST")).containsExactly("example.org");
        // a derived handshake shares the maps rather than copying them
        assertThat(a.withAuth(null).headers()).isSameAs(a.headers());
    }

    private static SocketIoHandshake handshake() {
        return new SocketIoHandshake(
                Map.of(
                        new String("Host"),
                        List.of("example.org"),
                        new String("User-Agent"),
                        List.of("probe"),
                        "Sec-WebSocket-Key",
                        List.of("abc")),
                Map.of(new String("EIO"), List.of(new String("4")), "transport", List.of(new String("websocket"))),
                "127.0.0.1:1",
                null,
                Instant.now());
    }

    @Test
    void theContainerGetsAnUpgradeRequestWithNothingToKeep() {
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> "Sec-WebSocket-Key".equals(args[0]) ? "key" : null;
                    case "getHeaderNames" -> Collections.enumeration(List.of("Sec-WebSocket-Key", "Cookie"));
                    case "getQueryString" -> "EIO=4&transport=websocket";
                    case "getParameterMap" -> Map.of("EIO", new String[] {"4"});
                    case "getParameter" -> "4";
                    default -> null;
                });
        HttpServletRequest upgrade = new EngineIoServlet.UpgradeRequest(request);
        // what the container checks is answered
        assertThat(upgrade.getHeader("Sec-WebSocket-Key")).isEqualTo("key");
        // what it would copy and keep for the WebSocket's life is not there
        assertThat(upgrade.getHeaderNames().hasMoreElements()).isFalse();
        assertThat(upgrade.getQueryString()).isNull();
        assertThat(upgrade.getParameterMap()).isEmpty();
        assertThat(upgrade.getParameter("EIO")).isNull();
    }
}
