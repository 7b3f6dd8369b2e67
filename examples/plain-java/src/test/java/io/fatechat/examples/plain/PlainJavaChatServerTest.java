package io.fatechat.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plain-Java server on an ephemeral port: UI, REST, Socket.IO handshake and a chat round trip. */
class PlainJavaChatServerTest {

    private PlainJavaChatServer server;
    private Socket socket;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = PlainJavaChatServer.start(
                0,
                "jdbc:h2:mem:plain-" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "plain-java-test-secret-of-32-bytes!!".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        if (socket != null) {
            socket.close();
        }
        server.close();
    }

    @Test
    void servesTheUiAndAnswersTheSocketIoHandshake() throws Exception {
        HttpResponse<String> ui = get("/");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("<title>Fatechat</title>");

        HttpResponse<String> handshake = get("/socket.io/?EIO=4&transport=polling");
        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(handshake.body()).startsWith("0{").contains("\"sid\"");
    }

    @Test
    void registerOverRestThenChatOverSocketIo() throws Exception {
        HttpResponse<String> registered = http.send(
                HttpRequest.newBuilder(uri("/api/register"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"email\":\"plain@example.com\",\"password\":\"password-1\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).isEqualTo(200);
        String token = new JSONObject(registered.body()).getString("token");
        server.engine().createRoom("plain@example.com", "plain-room");

        List<String> received = new CopyOnWriteArrayList<>();
        AtomicReference<JSONObject> joined = new AtomicReference<>();
        socket = IO.socket(
                URI.create("http://127.0.0.1:" + server.port()),
                IO.Options.builder()
                        .setTransports(new String[] {"websocket"})
                        .setReconnection(false)
                        .setAuth(Map.of("token", token))
                        .build());
        socket.on("receiveMessage", args -> received.add(((JSONObject) args[0]).optString("messageText")));
        socket.connect();
        await().atMost(Duration.ofSeconds(15)).until(socket::connected);

        socket.emit("joinRoom", new JSONObject(Map.of("roomName", "plain-room")), (Ack)
                args -> joined.set((JSONObject) args[0]));
        await().atMost(Duration.ofSeconds(10)).until(() -> joined.get() != null);
        assertThat(joined.get().optBoolean("ok")).isTrue();

        socket.emit("sendMessage", new JSONObject(Map.of("roomName", "plain-room", "message", "no Spring here")));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("no Spring here"));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
