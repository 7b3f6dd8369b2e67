package io.fatechat.examples.hosts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A Socket.IO client on HTTP long-polling with raw requests, which can vanish the way a killed process does: its
 * parked poll's TCP connection closes, nothing more (issue 12, row 15).
 */
public final class RawPollingClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final URI base;
    private final String sid;

    private RawPollingClient(URI base, String sid) {
        this.base = base;
        this.sid = sid;
    }

    /** Opens a polling session at {@code base} (e.g. {@code http://127.0.0.1:3000}) and connects "/" with a token. */
    public static RawPollingClient connect(URI base, String token) throws IOException, InterruptedException {
        String open = get(base.resolve("/socket.io/?EIO=4&transport=polling"));
        if (!open.startsWith("0{\"sid\":\"")) {
            throw new IOException("not an Engine.IO open packet: " + open);
        }
        String sid = open.substring(9, open.indexOf('"', 9));
        RawPollingClient client = new RawPollingClient(base, sid);
        client.send("40{\"token\":\"" + token + "\"}");
        for (int i = 0; i < 10; i++) {
            String payload = get(client.pollUri());
            if (payload.contains("40{")) {
                return client;
            }
            if (payload.contains("44{")) {
                throw new IOException("connect refused: " + payload);
            }
        }
        throw new IOException("no CONNECT answer");
    }

    /** Sends one Engine.IO payload, e.g. {@code 42["joinRoom",{"roomName":"r"}]}. */
    public void send(String payload) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(pollUri())
                        .timeout(TIMEOUT)
                        .header("Content-Type", "text/plain;charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString(payload))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("POST answered " + r.statusCode() + ": " + r.body());
        }
    }

    /**
     * Polls until a poll stays parked, then closes that poll's connection. A poll that is answered at once (queued
     * packets) is read and the next one sent; a parked one is recognised by its streamed, unended body (the server
     * writes noop probes into a parked poll).
     */
    public void vanishWhileParked() throws IOException {
        for (int i = 0; i < 50; i++) {
            Socket socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream()
                    .write(("GET " + pollUri().getRawPath() + "?" + pollUri().getRawQuery() + " HTTP/1.1\r\nHost: "
                                    + base.getHost() + ":" + base.getPort() + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in).toLowerCase(Locale.ROOT);
            if (!head.startsWith("http/1.1 200")) {
                socket.close();
                throw new IOException("poll answered " + head);
            }
            int length = head.indexOf("content-length:");
            if (length < 0) {
                socket.close(); // parked: vanish
                return;
            }
            int end = head.indexOf("\r\n", length);
            in.readNBytes(Integer.parseInt(head.substring(length + 15, end).trim()));
            socket.close();
        }
        throw new IOException("no poll stayed parked");
    }

    private URI pollUri() {
        return base.resolve("/socket.io/?EIO=4&transport=polling&sid=" + sid);
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + seen);
            }
            seen.write(b);
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }
}
