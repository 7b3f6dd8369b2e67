package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A polling client that vanishes while its poll is parked (issue 12, row 15): the container never reports it, the
 * noop probes of {@link ParkedPoll} do, and the session closes at once instead of at the ping timeout (45 s here).
 */
class VanishedPollingClientTest {

    private final Map<String, DisconnectReason> disconnects = new ConcurrentHashMap<>();
    private final List<SocketIoSocket> connected = new CopyOnWriteArrayList<>();
    private JettyTestServer server;

    private PollingTestClient start() throws Exception {
        SocketIoServer io =
                SocketIoServer.create(SocketIoConfig.builder().workerThreads(2).build());
        io.onConnection(socket -> {
            connected.add(socket);
            socket.onDisconnect(reason -> disconnects.put(socket.id(), reason));
        });
        server = JettyTestServer.start(io);
        return new PollingTestClient(server, "/socket.io/");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Opens a polling session and connects the main namespace; returns the Engine.IO sid. */
    private String connectedSession(PollingTestClient polling) throws Exception {
        String sid = polling.open();
        assertThat(polling.push(sid, "40").body()).isEqualTo("ok");
        assertThat(polling.poll(sid).body()).startsWith("40{\"sid\":");
        await().until(() -> connected.size() == 1);
        return sid;
    }

    /** Sends a poll on a raw socket and reads until the server streamed its headers (the poll is parked). */
    private Socket parkedPoll(String sid) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream()
                .write(("GET /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: 127.0.0.1:"
                                + server.port + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        String head = readUntil(socket.getInputStream(), "\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 200");
        return socket;
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.ISO_8859_1).contains(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + seen);
            }
            seen.write(b);
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }

    /** The data of a chunked body, read chunk by chunk until it contains {@code end}. */
    private static String chunkedPayloadUntil(InputStream in, String end) throws IOException {
        StringBuilder payload = new StringBuilder();
        while (!payload.toString().contains(end)) {
            int size = Integer.parseInt(readUntil(in, "\r\n").trim(), 16);
            payload.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            readUntil(in, "\r\n");
        }
        return payload.toString();
    }

    @Test
    void aClientThatClosesItsParkedPollIsDisconnectedAtOnce() throws Exception {
        PollingTestClient polling = start();
        String sid = connectedSession(polling);
        Socket poll = parkedPoll(sid);

        poll.close();

        await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(disconnects).containsValue(DisconnectReason.TRANSPORT_ERROR));
    }

    @Test
    void aClientThatStaysGetsItsPacketsAfterTheProbesNoops() throws Exception {
        PollingTestClient polling = start();
        String sid = connectedSession(polling);
        try (Socket poll = parkedPoll(sid)) {
            connected.get(0).emit("hello", "world");

            String payload = chunkedPayloadUntil(poll.getInputStream(), "[\"hello\",\"world\"]");

            // every packet before the event is a probe's noop
            assertThat(payload).matches("6(\u001e6)*\u001e42\\[\"hello\",\"world\"]");
            assertThat(disconnects).isEmpty();
        }
    }
}
