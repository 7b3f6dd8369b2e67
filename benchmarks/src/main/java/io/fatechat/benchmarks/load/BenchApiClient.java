package io.fatechat.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs of a server's {@code /bench/*} API (tokens, rooms, memory), over HTTP/1.1. */
public final class BenchApiClient {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade: socket.io servers treat an Upgrade as theirs
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** The body of {@code base + path}. @throws IOException unless the answer is 200 */
    public String get(URI base, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(base.resolve(path) + " answered " + response.statusCode());
        }
        return response.body();
    }
}
