package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.testing.JdbcServer;
import io.fatechat.testing.TestServices;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 17: the node a client was on dies ({@code kill -9}, a JVM of its own); the client reconnects to another
 * node with its pid and offset and is recovered there: the session from Redis, the missed messages from the shared
 * database. Both nodes share Redis and MariaDB; each has its own in-memory bus (acking after the database commit),
 * so what the survivor stores is all the history there is.
 */
class FatechatRecoveryAfterKillIT {

    private static final String SECRET = "recovery-kill-it-secret-of-at-least-32-bytes";

    @TempDir
    Path dir;

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext survivor;
    private Process doomed;
    private JdbcServer mysql;
    private String database;

    @AfterEach
    void stop() throws Exception {
        sockets.forEach(Socket::close);
        if (survivor != null) {
            survivor.close();
        }
        if (doomed != null && doomed.isAlive()) {
            doomed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (database != null) {
            admin("DROP DATABASE IF EXISTS " + database);
        }
    }

    private List<String> args(String nodeId, String keyPrefix) {
        return List.of(
                "--server.port=0",
                "--fatechat.node-id=" + nodeId,
                "--fatechat.auth.bcrypt-cost=4",
                "--fatechat.auth.token-secret=" + SECRET,
                "--fatechat.redis.url=" + TestServices.redisUrl(),
                "--fatechat.redis.key-prefix=" + keyPrefix,
                "--fatechat.jdbc.url=" + mysql.databaseUrl(mysql.host(), mysql.port(), database),
                "--fatechat.jdbc.username=" + mysql.user(),
                "--fatechat.jdbc.password=" + mysql.password(),
                "--management.health.diskspace.enabled=false");
    }

    @Test
    void aClientOfAKilledNodeRecoversOnAnother() throws Exception {
        mysql = TestServices.mariaDb();
        database =
                "fatechat_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        String keyPrefix = "fatechat-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";

        survivor = new SpringApplicationBuilder(FatechatDistributedIT.App.class)
                .run(args("node-b", keyPrefix).toArray(String[]::new));
        int portB = ((WebServerApplicationContext) survivor).getWebServer().getPort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RecoveryNodeMain.class.getName()));
        command.addAll(args("node-a", keyPrefix));
        doomed = new ProcessBuilder(command)
                .redirectError(dir.resolve("node-a.log").toFile())
                .start();
        AtomicReference<Integer> portA = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(doomed.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("PORT ")) {
                        portA.set(Integer.parseInt(line.substring(5).trim()));
                    }
                }
            } catch (java.io.IOException e) {
                // killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(120))
                .failFast("node A died: " + dir.resolve("node-a.log"), () -> !doomed.isAlive())
                .until(() -> portA.get() != null);

        String carolToken = new JSONObject(post(
                        portB, "/api/register", "{\"email\":\"carol@example.com\",\"password\":\"password-3\"}", null))
                .getString("token");
        String daveToken = new JSONObject(post(
                        portB, "/api/register", "{\"email\":\"dave@example.com\",\"password\":\"password-4\"}", null))
                .getString("token");
        post(portB, "/api/chat", "{\"name\":\"survivors\"}", carolToken);

        AtomicReference<String> pid = new AtomicReference<>();
        List<Object[]> carolGot = new CopyOnWriteArrayList<>();
        Socket carol = connect(portA.get(), Map.of("token", carolToken), pid, carolGot);
        request(carol, "joinRoom", new JSONObject(Map.of("roomName", "survivors")));
        await().atMost(Duration.ofSeconds(20)).until(() -> !carolGot.isEmpty()); // her own join event message
        Object[] last = carolGot.get(carolGot.size() - 1);
        String offset = (String) last[last.length - 1];
        Socket dave = connect(portB, Map.of("token", daveToken), new AtomicReference<>(), new CopyOnWriteArrayList<>());
        request(dave, "joinRoom", new JSONObject(Map.of("roomName", "survivors")));

        doomed.destroyForcibly(); // SIGKILL: node A writes nothing more
        assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> !carol.connected());
        List<String> missed = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            missed.add(request(
                            dave,
                            "sendMessage",
                            new JSONObject(Map.of("roomName", "survivors", "message", "missed " + i)))
                    .getString("id"));
        }

        AtomicReference<String> answered = new AtomicReference<>();
        List<Object[]> backGot = new CopyOnWriteArrayList<>();
        connect(portB, Map.of("token", carolToken, "pid", pid.get(), "offset", offset), answered, backGot);

        assertThat(answered.get())
                .as("recovered: the CONNECT answer repeats the pid")
                .isEqualTo(pid.get());
        await().atMost(Duration.ofSeconds(20)).until(() -> chatIds(backGot).size() >= 3);
        assertThat(chatIds(backGot)).containsExactlyElementsOf(missed);
        String after = request(dave, "sendMessage", new JSONObject(Map.of("roomName", "survivors", "message", "after")))
                .getString("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> chatIds(backGot).contains(after));
        assertThat(chatIds(backGot)).doesNotHaveDuplicates();
    }

    private static List<String> chatIds(List<Object[]> events) {
        return events.stream()
                .map(args -> (JSONObject) args[0])
                .filter(m -> !m.optBoolean("isEvent"))
                .map(m -> m.optString("id"))
                .toList();
    }

    private Socket connect(int port, Map<String, String> auth, AtomicReference<String> pid, List<Object[]> received) {
        Socket socket = IO.socket(
                URI.create("http://127.0.0.1:" + port),
                IO.Options.builder()
                        .setTransports(new String[] {"websocket"})
                        .setReconnection(false)
                        .setForceNew(true)
                        .setAuth(auth)
                        .build());
        sockets.add(socket);
        socket.io().on(Manager.EVENT_PACKET, args -> {
            Packet<?> packet = (Packet<?>) args[0];
            if (packet.type == Parser.CONNECT && packet.data instanceof JSONObject answer) {
                pid.set(answer.optString("pid", null));
            }
        });
        socket.on("receiveMessage", received::add);
        socket.connect();
        await().atMost(Duration.ofSeconds(15)).until(socket::connected);
        return socket;
    }

    private static JSONObject request(Socket socket, String event, JSONObject payload) {
        AtomicReference<JSONObject> ack = new AtomicReference<>();
        socket.emit(event, payload, (Ack) args -> ack.set((JSONObject) args[0]));
        await().atMost(Duration.ofSeconds(15)).until(() -> ack.get() != null);
        assertThat(ack.get().optBoolean("ok")).as(ack.get().toString()).isTrue();
        return ack.get();
    }

    private String post(int port, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        mysql.databaseUrl(mysql.host(), mysql.port(), ""), mysql.user(), mysql.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
