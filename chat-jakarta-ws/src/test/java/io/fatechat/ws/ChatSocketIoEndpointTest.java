package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.socket.client.IO;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Installing the chat endpoint without Spring: the origin allowlist it takes from the config, and closing it. */
class ChatSocketIoEndpointTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(JavaChatClient.TIMEOUT).build();

    private static IO.Options withOrigin(String token, String origin, boolean websocketOnly) {
        IO.Options options = JavaChatClient.options(websocketOnly);
        options.auth = Map.of("token", token);
        options.extraHeaders = Map.of("Origin", List.of(origin));
        return options;
    }

    /** The HTTP status of a polling handshake sent with {@code origin}. */
    private static int pollingHandshakeStatus(ChatTestServer server, String origin) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/socket.io/?EIO=4&transport=polling"))
                .header("Origin", origin)
                .timeout(JavaChatClient.TIMEOUT)
                .GET()
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The first text frame of a WebSocket handshake sent with {@code origin}, or "closed <code>". */
    private static String websocketFirstFrame(ChatTestServer server, String origin) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                first.complete(data.toString());
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                first.complete("closed " + statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                first.complete("error " + error);
            }
        };
        WebSocket socket = null;
        try {
            socket = HTTP.newWebSocketBuilder()
                    .header("Origin", origin)
                    .connectTimeout(JavaChatClient.TIMEOUT)
                    .buildAsync(
                            URI.create(server.url().replace("http:", "ws:") + "/socket.io/?EIO=4&transport=websocket"),
                            listener)
                    .get(JavaChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return first.get(JavaChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return "refused " + e.getCause();
        } finally {
            if (socket != null) {
                socket.abort();
            }
        }
    }

    @Test
    void browserOriginsOutsideTheConfiguredAllowlistAreRefused() throws Exception {
        try (ChatTestServer server =
                ChatTestServer.start(config -> config.allowedOrigins("https://chat.example.com"))) {
            String token = server.register("origin@example.com");
            assertThat(server.endpoint().server().config().allowedOrigins())
                    .containsExactly("https://chat.example.com");

            for (boolean websocketOnly : new boolean[] {false, true}) {
                try (JavaChatClient allowed = JavaChatClient.connect(
                        server.url(), withOrigin(token, "https://chat.example.com", websocketOnly))) {
                    assertThat(allowed.connected()).isTrue();
                }
            }
            assertThat(pollingHandshakeStatus(server, "https://chat.example.com"))
                    .isEqualTo(200);
            assertThat(pollingHandshakeStatus(server, "https://evil.example.net"))
                    .isEqualTo(403);
            assertThat(websocketFirstFrame(server, "https://chat.example.com")).startsWith("0{");
            assertThat(websocketFirstFrame(server, "https://evil.example.net")).doesNotStartWith("0{");
        }
    }

    @Test
    void theDefaultAllowsOnlyTheSameOriginButAlwaysNonBrowserClients() throws Exception {
        try (ChatTestServer server = ChatTestServer.start()) {
            String token = server.register("same-origin@example.com");

            try (JavaChatClient sameOrigin =
                    JavaChatClient.connect(server.url(), withOrigin(token, server.url(), true))) {
                assertThat(sameOrigin.connected()).isTrue();
            }
            assertThat(pollingHandshakeStatus(server, server.url())).isEqualTo(200);
            assertThat(pollingHandshakeStatus(server, "https://elsewhere.example.org"))
                    .isEqualTo(403);
            assertThat(websocketFirstFrame(server, "https://elsewhere.example.org"))
                    .doesNotStartWith("0{");
            IO.Options noOrigin = JavaChatClient.options(true);
            noOrigin.auth = Map.of("token", token);
            try (JavaChatClient nonBrowser = JavaChatClient.connect(server.url(), noOrigin)) {
                assertThat(nonBrowser.connected()).isTrue();
            }
        }
    }

    @Test
    void closingTheEndpointClosesEveryConnectionAndItsChatConnection() throws Exception {
        try (ChatTestServer server = ChatTestServer.start()) {
            String token = server.register("closing@example.com");
            String room = server.createRoom("Closing");
            IO.Options options = JavaChatClient.options(true);
            options.auth = Map.of("token", token);
            CompletableFuture<Integer> closeCode = new CompletableFuture<>();
            WebSocket raw = HTTP.newWebSocketBuilder()
                    .buildAsync(
                            URI.create(server.url().replace("http:", "ws:") + "/socket.io/?EIO=4&transport=websocket"),
                            new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                                    closeCode.complete(statusCode);
                                    return null;
                                }
                            })
                    .get(JavaChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            try (JavaChatClient client = JavaChatClient.connect(server.url(), options)) {
                raw.sendText("40{\"token\":\"" + token + "\"}", true);
                assertThat(client.request(
                                        "joinRoom",
                                        JsonNodeFactory.instance.objectNode().put("roomName", room))
                                .path("ok")
                                .asBoolean())
                        .isTrue();
                await().atMost(JavaChatClient.TIMEOUT)
                        .until(() -> server.engine().connectionCount() == 2);

                server.endpoint().close();

                // The server says goodbye with 1001 (going away) and closes the chat connections at once. (The
                // Java client 2.1.x only notices at its ping timeout: it does not answer a server's close frame.)
                assertThat(closeCode.get(JavaChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                        .isEqualTo(1001);
                await().atMost(JavaChatClient.TIMEOUT)
                        .until(() -> server.engine().connectionCount() == 0);
            } finally {
                raw.abort();
            }
        }
    }
}
