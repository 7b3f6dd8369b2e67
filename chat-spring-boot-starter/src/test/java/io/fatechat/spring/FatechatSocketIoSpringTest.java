package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.ChatEngine;
import io.fatechat.socketio.SocketIoServer;
import io.fatechat.spring.metrics.MicrometerChatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The Socket.IO endpoint the starter deploys into Spring Boot's Tomcat: a stock Socket.IO client connects over
 * WebSocket with a token, joins a room, sends and receives, and the Micrometer meters count it.
 */
@SpringBootTest(
        classes = FatechatSocketIoSpringTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fatechat.auth.bcrypt-cost=4", "fatechat.auth.token-secret=socketio-spring-test-secret-32-bytes"})
class FatechatSocketIoSpringTest {

    @LocalServerPort
    int port;

    @Autowired
    ChatEngine engine;

    @Autowired
    SocketIoServer server;

    @Autowired
    MeterRegistry registry;

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        sockets.forEach(Socket::close);
    }

    @Test
    void pollingHandshakeAnswersAtTheDefaultPath() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("0{").contains("\"sid\"").contains("websocket");
    }

    @Test
    void webSocketClientChatsThroughTheStarter() {
        String token = engine.register("ws-user@example.com", "password-1");
        engine.createRoom("ws-user@example.com", "spring-room");

        List<String> received = new CopyOnWriteArrayList<>();
        AtomicReference<Object> joinAck = new AtomicReference<>();
        Socket socket = connect(token);
        socket.on("receiveMessage", args -> received.add(((JSONObject) args[0]).optString("messageText")));
        await().atMost(Duration.ofSeconds(15)).until(socket::connected);

        socket.emit("joinRoom", new JSONObject(Map.of("roomName", "spring-room")), (io.socket.client.Ack)
                args -> joinAck.set(args[0]));
        await().atMost(Duration.ofSeconds(10)).until(() -> joinAck.get() != null);
        assertThat(((JSONObject) joinAck.get()).optBoolean("ok")).isTrue();

        socket.emit("sendMessage", new JSONObject(Map.of("roomName", "spring-room", "message", "hello from java")));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("hello from java"));

        assertThat(server.connectionCount()).isPositive();
        assertThat(registry.get("fatechat.messages.sent").counter().count()).isGreaterThanOrEqualTo(1.0);
        assertThat(registry.get("fatechat.messages.delivered").counter().count())
                .isGreaterThanOrEqualTo(1.0);
        assertThat(registry.get("fatechat.connections").gauge().value()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void badTokenIsRefusedAtTheHandshake() {
        AtomicReference<Object> error = new AtomicReference<>();
        Socket socket = connect("not-a-token");
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> error.set(args[0]));
        await().atMost(Duration.ofSeconds(15)).until(() -> error.get() != null);
        assertThat(error.get().toString()).contains("unauthorized");
        assertThat(socket.connected()).isFalse();
    }

    private Socket connect(String token) {
        IO.Options options = IO.Options.builder()
                .setTransports(new String[] {"websocket"})
                .setReconnection(false)
                .setAuth(Map.of("token", token))
                .build();
        Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port), options);
        sockets.add(socket);
        socket.connect();
        return socket;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        Object metricsAreBound(MicrometerChatMetrics metrics) {
            return metrics;
        }
    }
}
