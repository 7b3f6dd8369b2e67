package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socket.client.IO;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stock Java client (io.socket:socket.io-client 2.1.x) against the protocol layer, on both transports. */
class JavaClientCompatibilityTest {

    private final List<DisconnectReason> disconnects = new CopyOnWriteArrayList<>();
    private SocketIoServer io;
    private JettyTestServer server;
    private Socket client;

    @BeforeEach
    void start() throws Exception {
        // short heartbeats: the Java client (OkHttp) never answers a server's WebSocket close frame, so it notices
        // a server shutdown only through its ping timeout (pingInterval + pingTimeout)
        io = SocketIoServer.create(SocketIoConfig.builder()
                .workerThreads(2)
                .pingInterval(Duration.ofMillis(300))
                .pingTimeout(Duration.ofMillis(300))
                .build());
        io.namespace("/").use(handshake -> {
            if (!"secret".equals(handshake.authField("token"))) {
                throw new ConnectRefusedException("unauthorized");
            }
            return "alice";
        });
        io.onConnection(socket -> {
            socket.onDisconnect(disconnects::add);
            socket.on("echo", (args, ack) -> ack.send(args.get(0), socket.principal()));
        });
        server = JettyTestServer.start(io);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private Socket connect(boolean websocketOnly, String token) throws Exception {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.auth = Map.of("token", token);
        if (websocketOnly) {
            options.transports = new String[] {"websocket"};
        }
        client = IO.socket(server.http("/").toString(), options);
        return client;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void connectsEmitsWithAckAndSeesServerShutdown(boolean websocketOnly) throws Exception {
        Socket socket = connect(websocketOnly, "secret");
        CompletableFuture<Object[]> answer = new CompletableFuture<>();
        socket.on(
                Socket.EVENT_CONNECT,
                a -> socket.emit("echo", new Object[] {new JSONObject(Map.of("n", 1))}, args -> answer.complete(args)));
        socket.connect();
        Object[] args = answer.get(10, TimeUnit.SECONDS);
        assertThat(args[0].toString()).isEqualTo("{\"n\":1}");
        assertThat(args[1]).isEqualTo("alice");

        CompletableFuture<Object> gone = new CompletableFuture<>();
        socket.on(Socket.EVENT_DISCONNECT, a -> gone.complete(a.length > 0 ? a[0] : null));
        io.close();
        assertThat(gone.get(10, TimeUnit.SECONDS)).isNotNull();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(disconnects).containsExactly(DisconnectReason.SERVER_SHUTTING_DOWN));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void refusedClientGetsConnectError(boolean websocketOnly) throws Exception {
        Socket socket = connect(websocketOnly, "wrong");
        CompletableFuture<Object> error = new CompletableFuture<>();
        socket.on(Socket.EVENT_CONNECT_ERROR, a -> error.complete(a[0]));
        socket.connect();
        assertThat(error.get(10, TimeUnit.SECONDS).toString()).contains("unauthorized");
    }
}
