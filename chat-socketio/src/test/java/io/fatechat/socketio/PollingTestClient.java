package io.fatechat.socketio;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** HTTP long-polling requests with {@link HttpClient}. */
final class PollingTestClient {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JettyTestServer server;
    private final String path;

    PollingTestClient(JettyTestServer server, String path) {
        this.server = server;
        this.path = path;
    }

    URI uri(String query) {
        return server.http(path + "?" + query);
    }

    HttpResponse<String> get(String query) throws Exception {
        return send(HttpRequest.newBuilder(uri(query))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build());
    }

    CompletableFuture<HttpResponse<String>> getAsync(String query) {
        return HTTP.sendAsync(
                HttpRequest.newBuilder(uri(query))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String query, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(query))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Opens a polling session and returns its sid. */
    String open() throws Exception {
        HttpResponse<String> r = get("EIO=4&transport=polling");
        if (r.statusCode() != 200 || !r.body().startsWith("0{")) {
            throw new AssertionError("handshake failed: " + r.statusCode() + " " + r.body());
        }
        String body = r.body();
        return body.substring(9, body.indexOf('"', 9));
    }

    HttpResponse<String> poll(String sid) throws Exception {
        return get("EIO=4&transport=polling&sid=" + sid);
    }

    HttpResponse<String> push(String sid, String payload) throws Exception {
        return post("EIO=4&transport=polling&sid=" + sid, payload);
    }
}
