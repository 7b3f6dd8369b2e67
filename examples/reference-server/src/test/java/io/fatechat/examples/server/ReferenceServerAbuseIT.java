package io.fatechat.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fatechat.examples.hosts.RawPollingClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The reference server (embedded default, real Tomcat, real sockets) against the hostile clients of issue 12: slow
 * bodies, password guessing, cross-site requests, malformed requests, nosy actuator callers. Each test is an attack
 * that worked before its fix.
 *
 * <p>Tomcat gets 20 threads here so that the slow-body attack needs only 40 connections; the other limits are the
 * shipped defaults. The per-address login limit (30 a minute) is shared by every test, since all come from
 * 127.0.0.1: the test that exhausts it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReferenceServerAbuseIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final String PASSWORD = "password-1";

    @TempDir
    static Path dataDir;

    private static ConfigurableApplicationContext server;
    private static int port;
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(HANG_GUARD).build();
    private static int users;

    @BeforeAll
    static void start() {
        server = SpringApplication.run(
                ReferenceServer.class,
                "--server.port=0",
                "--server.tomcat.threads.max=20",
                "--server.tomcat.threads.min-spare=2",
                "--fatechat.jdbc.url=jdbc:h2:file:"
                        + dataDir.resolve("db/fatechat").toAbsolutePath()
                        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE",
                "--fatechat.auth.bcrypt-cost=4",
                "--fatechat.auth.token-secret=abuse-test-secret-of-at-least-32-bytes",
                // as behind a proxy on this host: X-Forwarded-For from 127.0.0.1 names the client (row 8)
                "--fatechat.socketio.trusted-proxies=127.0.0.1");
        port = ((WebServerApplicationContext) server).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- row 1: slow bodies must not stall the server ----

    @Test
    @Order(1)
    void clientsThatDribbleTheirBodiesHoldNoThreadAndAreAnswered408() throws Exception {
        String token = register();
        try (Dribblers dribblers = new Dribblers(40, token)) {
            dribblers.awaitAllSending();

            // twice as many slow bodies as Tomcat has threads: everyone else is still served
            String other = register();
            assertThat(post("/api/login", "{\"email\":\"" + lastEmail() + "\",\"password\":\"" + PASSWORD + "\"}", null)
                            .status())
                    .isEqualTo(200);
            assertThat(get("/api/chat", other).status()).isEqualTo(200);
            Reply handshake = get("/socket.io/?EIO=4&transport=polling", null);
            assertThat(handshake.status()).isEqualTo(200);
            assertThat(handshake.body()).startsWith("0{");
            assertThat(openWebSocket()).startsWith("0{");

            // and the slow clients get the contract's 408 once the body deadline passes
            await().atMost(Duration.ofSeconds(60)).until(() -> dribblers.answers().stream()
                    .anyMatch(a -> a.startsWith("HTTP/1.1 408") && a.contains("\"code\":\"request_timeout\"")));
        }
    }

    // ---- row 3: password guessing ----

    @Test
    @Order(2)
    void guessingAPasswordIsCutOffWith429AndRetryAfterEvenBeforeTheRightOne() throws Exception {
        register();
        String email = lastEmail();
        for (int i = 0; i < 10; i++) {
            assertThat(post("/api/login", "{\"email\":\"" + email + "\",\"password\":\"wrong-" + i + "\"}", null)
                            .status())
                    .isEqualTo(401);
        }
        HttpResponse<String> refused = http.send(
                json(HttpRequest.newBuilder(uri("/api/login")))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(refused.body()).get("code").asText()).isEqualTo("rate_limited");
        assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong))
                .hasValueSatisfying(s -> assertThat(s).isBetween(1L, 15 * 60L));
    }

    // ---- rows 10, 11, 14: every error is the contract's JSON; JSON-only bodies; no cross-site calls ----

    @Test
    @Order(3)
    void containerLevelErrorsAnswerTheContractsJson() throws Exception {
        assertJsonError(
                raw("GET /no/such/page HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n"
                        + "Connection: close\r\n\r\n"),
                404,
                "not_found");
        assertJsonError(raw("GET /api%2Fchat HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400, null);
        assertJsonError(raw("GET /api/%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400, null);
        assertJsonError(
                raw("TRACE / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 405, "method_not_allowed");
        // a body cut short: the client closes its side after 9 of 100 bytes
        assertJsonError(
                rawHalfClosed("POST /api/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + register() + "\r\nContent-Length: 100\r\n\r\n{\"name\":\""),
                400,
                "invalid_input");
    }

    @Test
    @Order(4)
    void restTakesOnlyJsonBodiesAndRefusesDuplicateKeys() throws Exception {
        register();
        HttpResponse<String> noType = http.send(
                HttpRequest.newBuilder(uri("/api/login"))
                        .timeout(HANG_GUARD)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"email\":\"" + lastEmail() + "\",\"password\":\"" + PASSWORD + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noType.statusCode()).isEqualTo(415);

        Reply duplicate = post(
                "/api/register",
                "{\"email\":\"dup-a@example.com\",\"password\":\"" + PASSWORD + "\",\"email\":\"dup-b@example.com\"}",
                null);
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.json().get("code").asText()).isEqualTo("invalid_input");
    }

    @Test
    @Order(5)
    void anotherSitesPreflightAndRequestsAreRefused() throws Exception {
        HttpResponse<String> preflight = http.send(
                HttpRequest.newBuilder(uri("/api/login"))
                        .timeout(HANG_GUARD)
                        .header("Origin", "https://evil.example.net")
                        .header("Access-Control-Request-Method", "POST")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();

        HttpResponse<String> fromEvil = http.send(
                json(HttpRequest.newBuilder(uri("/api/chat")))
                        .header("Origin", "https://evil.example.net")
                        .header("Authorization", "Bearer " + register())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fromEvil.statusCode()).isEqualTo(403);

        // the page's own origin works as before
        HttpResponse<String> own = http.send(
                json(HttpRequest.newBuilder(uri("/api/chat")))
                        .header("Origin", "http://127.0.0.1:" + port)
                        .header("Authorization", "Bearer " + register())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).isEqualTo(200);
    }

    // ---- row 12: actuator ----

    @Test
    @Order(6)
    void actuatorGivesDetailsAndMetricsOnlyToTheLocalOperator() throws Exception {
        Map<String, String> relayed = Map.of("X-Forwarded-For", "198.51.100.7");
        Reply remoteHealth = get("/actuator/health", null, relayed);
        assertThat(remoteHealth.status()).isEqualTo(200);
        assertThat(remoteHealth.json().get("status").asText()).isEqualTo("UP");
        assertThat(remoteHealth.json().has("components")).isFalse();
        assertThat(remoteHealth.json().has("details")).isFalse();
        for (String path : List.of(
                "/actuator/metrics", "/actuator/metrics/fatechat.connections", "/actuator", "/actuator/health/db")) {
            Reply refused = get(path, null, relayed);
            assertThat(refused.status()).as(path).isEqualTo(404);
            assertThat(refused.json().get("code").asText()).isEqualTo("not_found");
        }

        Reply localHealth = get("/actuator/health", null);
        assertThat(localHealth.json().has("components")).isTrue();
        assertThat(get("/actuator/metrics", null).status()).isEqualTo(200);
    }

    // ---- row 13: data files ----

    @Test
    @Order(7)
    void theDatabaseIsReadableByTheServersUserOnly() throws IOException {
        Path db = dataDir.resolve("db");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
                .isEqualTo("rwx------");
        try (var files = Files.list(db)) {
            List<Path> list = files.toList();
            assertThat(list).anyMatch(f -> f.getFileName().toString().equals("fatechat.mv.db"));
            for (Path f : list) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                        .as(f.toString())
                        .isEqualTo("rw-------");
            }
        }
    }

    // ---- row 2: a join/leave flooder is refused, then cut off ----

    @Test
    @Order(8)
    void aSocketFloodingJoinsAndLeavesGetsRateLimitedThenDisconnected() throws Exception {
        String token = register();
        post("/api/chat", "{\"name\":\"flooded\"}", token);
        try (ChatSocket socket = ChatSocket.open(port, token)) {
            for (int i = 0; i < 200 && !socket.closed(); i++) {
                socket.send("42[\"" + (i % 2 == 0 ? "joinRoom" : "leaveRoom") + "\",{\"roomName\":\"flooded\"}]");
            }
            await().atMost(HANG_GUARD).until(() -> socket.frames().stream()
                    .anyMatch(f -> f.startsWith("42[\"chatError\"") && f.contains("rate_limited")));
            await().atMost(HANG_GUARD).until(socket::disconnected);
        }
    }

    // ---- row 5: tokens of nobody, logout ends REST and socket sessions ----

    @Test
    @Order(9)
    void aTokenForAUserThatDoesNotExistIsRefused() throws Exception {
        String forged = new io.fatechat.core.internal.TokenSigner(
                        "abuse-test-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8),
                        Duration.ofHours(1),
                        java.time.Clock.systemUTC())
                .issue("nobody-registered@example.com");
        Reply r = get("/api/chat", forged);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    @Order(10)
    void logoutEndsTheTokenAndDisconnectsTheUsersSockets() throws Exception {
        String token = register();
        try (ChatSocket socket = ChatSocket.open(port, token)) {
            HttpResponse<String> out = http.send(
                    HttpRequest.newBuilder(uri("/api/logout"))
                            .timeout(HANG_GUARD)
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(out.statusCode()).isEqualTo(200);

            assertThat(get("/api/chat", token).status()).isEqualTo(401);
            await().atMost(HANG_GUARD).until(socket::disconnected);
            assertThat(socket.frames()).anyMatch(f -> f.startsWith("42[\"chatError\"") && f.contains("unauthorized"));
        }
    }

    // ---- row 9: room spam and the room list ----

    @Test
    @Order(11)
    void oneUserCannotCreateRoomsWithoutEndAndTheListIsPaged() throws Exception {
        String token = register();
        Reply last = null;
        for (int i = 0; i < 21; i++) {
            last = post("/api/chat", "{\"name\":\"spam-" + users + "-" + i + "\"}", token);
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.json().get("code").asText()).isEqualTo("rate_limited");

        Reply page = get("/api/chat?limit=5", token);
        assertThat(page.json().size()).isEqualTo(5);
        long lastId = page.json().get(4).get("id").asLong();
        Reply next = get("/api/chat?limit=5&after=" + lastId, token);
        assertThat(next.json().get(0).get("id").asLong()).isGreaterThan(lastId);
    }

    // ---- row 15: a polling client that vanishes goes offline at once ----

    @Test
    @Order(12)
    void aPollingClientWhoseParkedPollIsAbortedGoesOfflineWithinTwoSeconds() throws Exception {
        String aliceToken = register();
        post("/api/chat", "{\"name\":\"vanish\"}", aliceToken);
        String carolToken = register();
        String carol = lastEmail();
        try (ChatSocket alice = ChatSocket.open(port, aliceToken)) {
            alice.send("42[\"joinRoom\",{\"roomName\":\"vanish\"}]");
            RawPollingClient carolPolling = RawPollingClient.connect(uri("/"), carolToken);
            carolPolling.send("42[\"joinRoom\",{\"roomName\":\"vanish\"}]");
            await().atMost(HANG_GUARD).until(() -> alice.frames().stream()
                    .anyMatch(f -> f.startsWith("42[\"onlineUsers\"") && f.contains(carol)));
            int seen = alice.frames().size();

            carolPolling.vanishWhileParked();

            await().atMost(Duration.ofSeconds(2)).until(() -> {
                List<String> frames = alice.frames();
                return frames.subList(seen, frames.size()).stream()
                        .anyMatch(f ->
                                f.startsWith("42[\"onlineUsers\"") && f.contains("\"vanish\"") && !f.contains(carol));
            });
        }
    }

    // ---- rows 7 and 8: the per-address cap and the log lines use the client's address ----

    @Test
    @Order(13)
    void behindATrustedProxyTheCapCountsAndTheLogsNameTheForwardedAddress() throws Exception {
        for (int i = 0; i < 200; i++) {
            assertThat(pollingHandshake("198.51.100.77").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> over = pollingHandshake("203.0.113.1, 198.51.100.77");
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(pollingHandshake("198.51.100.78").statusCode()).isEqualTo(200);

        ch.qos.logback.classic.Logger sessionLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.fatechat.socketio.EngineSession");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        sessionLog.addAppender(logs);
        try {
            String open = pollingHandshake("198.51.100.79").body();
            String sid = open.substring(9, open.indexOf('"', 9));
            http.send(
                    HttpRequest.newBuilder(uri("/socket.io/?EIO=4&transport=polling&sid=" + sid))
                            .timeout(HANG_GUARD)
                            .header("X-Forwarded-For", "198.51.100.79")
                            .POST(HttpRequest.BodyPublishers.ofString("a"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(HANG_GUARD).until(() -> logs.list.stream()
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .anyMatch(line -> line.startsWith("Closing Engine.IO session of 198.51.100.79 (" + sid + ")")));
        } finally {
            sessionLog.detachAppender(logs);
        }
    }

    private static HttpResponse<String> pollingHandshake(String forwardedFor) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri("/socket.io/?EIO=4&transport=polling"))
                        .timeout(HANG_GUARD)
                        .header("X-Forwarded-For", forwardedFor)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---- row 4: a client id is unique per conversation ----

    @Test
    @Order(14)
    void aPrivateMessageReusingARoomMessagesClientIdIsANewMessageAndDelivered() throws Exception {
        String bobToken = register();
        String bob = lastEmail();
        String aliceToken = register();
        post("/api/chat", "{\"name\":\"client-ids\"}", aliceToken);
        try (ChatSocket alice = ChatSocket.open(port, aliceToken);
                ChatSocket bobSocket = ChatSocket.open(port, bobToken)) {
            alice.send("420[\"joinRoom\",{\"roomName\":\"client-ids\"}]");
            JsonNode joined = alice.awaitAck(0);
            assertThat(joined.path("ok").asBoolean()).as(joined.toString()).isTrue();
            alice.send("421[\"sendMessage\",{\"roomName\":\"client-ids\",\"message\":\"in the room\","
                    + "\"clientId\":\"c1\"}]");
            JsonNode inRoom = alice.awaitAck(1);
            alice.send("422[\"sendPrivateMessage\",{\"to\":\"" + bob + "\",\"message\":\"in private\","
                    + "\"clientId\":\"c1\"}]");
            JsonNode inPrivate = alice.awaitAck(2);

            assertThat(inRoom.path("ok").asBoolean()).as(inRoom.toString()).isTrue();
            assertThat(inPrivate.path("ok").asBoolean())
                    .as(inPrivate.toString())
                    .isTrue();
            assertThat(inPrivate.path("id").asText())
                    .isNotEqualTo(inRoom.path("id").asText());
            await().atMost(HANG_GUARD).until(() -> bobSocket.frames().stream()
                    .anyMatch(f -> f.startsWith("42[\"privateMessage\"") && f.contains("in private")));
        }
    }

    // ---- row 6: refused WebSocket handshakes are plain HTTP, before any upgrade ----

    @Test
    @Order(60)
    void refusedWebSocketHandshakesGet403Or400InsteadOfAnUpgrade() throws Exception {
        assertThat(upgradeStatus("EIO=4&transport=websocket", "https://evil.example.net"))
                .startsWith("HTTP/1.1 403");
        assertThat(upgradeStatus("EIO=3&transport=websocket", null)).startsWith("HTTP/1.1 400");
        assertThat(upgradeStatus("EIO=4&transport=websocket&sid=no-such-session", null))
                .startsWith("HTTP/1.1 400");
        assertThat(upgradeStatus("EIO=4&transport=websocket", "http://127.0.0.1:" + port))
                .startsWith("HTTP/1.1 101");
    }

    /** The status line a raw WebSocket upgrade of the Socket.IO endpoint gets. */
    private static String upgradeStatus(String query, String origin) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) HANG_GUARD.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /socket.io/?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: 13\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n")
                            + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            return line.toString().trim();
        }
    }

    // ---- row 3 again, last: it uses up this address's attempts ----

    @Test
    @Order(100)
    void oneAddressTryingManyAccountsIsCutOffWith429() throws Exception {
        Reply last = null;
        for (int i = 0; i < 31 && (last == null || last.status() != 429); i++) {
            last = post(
                    "/api/login", "{\"email\":\"spray" + i + "@example.com\",\"password\":\"" + PASSWORD + "\"}", null);
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.json().get("code").asText()).isEqualTo("rate_limited");
    }

    // ---- helpers ----

    private static String lastEmail() {
        return "abuse" + users + "@example.com";
    }

    private static String register() throws Exception {
        users++;
        Reply r = post("/api/register", "{\"email\":\"" + lastEmail() + "\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("token").asText();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpRequest.Builder json(HttpRequest.Builder b) {
        return b.timeout(HANG_GUARD).header("Content-Type", "application/json");
    }

    private static Reply post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = json(HttpRequest.newBuilder(uri(path))).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    private static Reply get(String path, String token) throws Exception {
        return get(path, token, Map.of());
    }

    private static Reply get(String path, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri(path)).timeout(HANG_GUARD).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        return send(b);
    }

    private static Reply send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    private record Reply(int status, String contentType, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** Opens a Socket.IO WebSocket and returns its first frame (the Engine.IO open packet). */
    private static String openWebSocket() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder()
                .connectTimeout(HANG_GUARD)
                .buildAsync(
                        URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                                first.complete(data.toString());
                                return null;
                            }
                        })
                .get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        try {
            return first.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        } finally {
            ws.abort();
        }
    }

    /** A Socket.IO client over a raw WebSocket (Engine.IO v4 frames), connected to "/" with a token. */
    private static final class ChatSocket implements WebSocket.Listener, AutoCloseable {

        private final java.util.Queue<String> frames = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean closed;
        private WebSocket ws;

        static ChatSocket open(int port, String token) throws Exception {
            ChatSocket socket = new ChatSocket();
            socket.ws = http.newWebSocketBuilder()
                    .connectTimeout(HANG_GUARD)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), socket)
                    .get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            await().atMost(HANG_GUARD).until(() -> socket.frames.stream().anyMatch(f -> f.startsWith("0{")));
            socket.send("40{\"token\":\"" + token + "\"}");
            await().atMost(HANG_GUARD).until(() -> socket.frames.stream().anyMatch(f -> f.startsWith("40{")));
            return socket;
        }

        void send(String frame) {
            ws.sendText(frame, true).join();
        }

        List<String> frames() {
            return List.copyOf(frames);
        }

        /** The first argument of the ack of the event this socket sent with {@code ackId}. */
        JsonNode awaitAck(int ackId) throws IOException {
            String prefix = "43" + ackId + "[";
            await().atMost(HANG_GUARD).until(() -> frames.stream().anyMatch(f -> f.startsWith(prefix)));
            String frame = frames.stream()
                    .filter(f -> f.startsWith(prefix))
                    .findFirst()
                    .orElseThrow();
            return JSON.readTree(frame.substring(prefix.length() - 1)).get(0);
        }

        boolean closed() {
            return closed;
        }

        /** The server sent a Socket.IO DISCONNECT or closed the WebSocket. */
        boolean disconnected() {
            return closed || frames.contains("41");
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                if (frame.equals("2")) {
                    socket.sendText("3", true); // pong
                }
                frames.add(frame);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed = true;
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed = true;
        }

        @Override
        public void close() {
            ws.abort();
        }
    }

    /** Sends {@code request} as is and reads the whole answer (the request asks the server to close). */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) HANG_GUARD.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Sends {@code request}, closes the sending side, and reads the answer. */
    private static String rawHalfClosed(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) HANG_GUARD.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertJsonError(String answer, int status, String code) throws IOException {
        assertThat(answer).as(answer).startsWith("HTTP/1.1 " + status);
        assertThat(answer.toLowerCase()).as(answer).contains("content-type: application/json");
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        if (answer.toLowerCase().contains("transfer-encoding: chunked")) {
            body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("}") + 1);
        }
        JsonNode json = JSON.readTree(body);
        assertThat(json.get("error").asText())
                .isNotBlank()
                .doesNotContain("Exception")
                .doesNotContain("Tomcat");
        if (code != null) {
            assertThat(json.get("code").asText()).isEqualTo(code);
        } else {
            assertThat(json.get("code").asText()).isNotBlank();
        }
    }

    /**
     * Slow-body attackers: each keeps a {@code POST /api/chat} open that promises 100 bytes and sends one every
     * 500 ms; one that is answered (or cut off) reconnects, so the attack lasts until closed. Every answer is kept.
     */
    private static final class Dribblers implements AutoCloseable {

        private final String token;
        private final Socket[] sockets;
        private final java.util.concurrent.ScheduledExecutorService pace =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final java.util.Queue<String> answers = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.concurrent.CountDownLatch sending;

        Dribblers(int count, String token) {
            this.token = token;
            this.sockets = new Socket[count];
            this.sending = new java.util.concurrent.CountDownLatch(count);
            pace.scheduleAtFixedRate(this::tick, 0, 500, TimeUnit.MILLISECONDS);
        }

        void awaitAllSending() throws InterruptedException {
            assertThat(sending.await(HANG_GUARD.toSeconds(), TimeUnit.SECONDS))
                    .as("all dribblers connected")
                    .isTrue();
        }

        List<String> answers() {
            return List.copyOf(answers);
        }

        private void tick() {
            for (int i = 0; i < sockets.length; i++) {
                try {
                    Socket s = sockets[i];
                    if (s == null || s.isClosed()) {
                        sockets[i] = open();
                        sending.countDown();
                        continue;
                    }
                    InputStream in = s.getInputStream();
                    if (in.available() > 0) {
                        byte[] buffer = new byte[in.available()];
                        int n = in.read(buffer);
                        answers.add(new String(buffer, 0, Math.max(0, n), StandardCharsets.UTF_8));
                        s.close();
                        continue;
                    }
                    s.getOutputStream().write(' ');
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    close(sockets[i]);
                    sockets[i] = null;
                }
            }
        }

        private Socket open() throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Authorization: Bearer " + token + "\r\nContent-Length: 100\r\n\r\n{")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return s;
        }

        private static void close(Socket s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }

        @Override
        public void close() {
            pace.shutdownNow();
            try {
                pace.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Socket s : sockets) {
                close(s);
            }
        }
    }
}
