package io.fatechat.spring;

import static io.fatechat.spring.NodeClients.join;
import static io.fatechat.spring.NodeClients.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.testing.JdbcServer;
import io.fatechat.testing.TestServices;
import io.socket.client.Socket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 17: the node a client was on dies ({@code kill -9}, a JVM of its own); the client reconnects to another
 * node with its pid and offset and is recovered there: the session from Redis, the missed messages from the shared
 * database. Both nodes share Redis and MariaDB; each has its own in-memory bus (acking after the database commit),
 * so what the survivor stores is all the history there is. With the Java client, and with the stock npm client
 * over websocket and polling.
 */
class FatechatRecoveryAfterKillIT {

    private static final String SECRET = "recovery-kill-it-secret-of-at-least-32-bytes";

    @TempDir
    Path dir;

    private final NodeClients clients = new NodeClients();
    private ConfigurableApplicationContext survivor;
    private Process doomed;
    private JdbcServer mysql;
    private String database;
    private int portA;
    private int portB;

    /** Node B in this JVM, node A in a JVM of its own, sharing Redis and a new database. */
    @BeforeEach
    void startNodes() throws Exception {
        mysql = TestServices.mariaDb();
        database =
                "fatechat_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        String keyPrefix = "fatechat-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";

        survivor = new SpringApplicationBuilder(FatechatDistributedIT.App.class)
                .run(args("node-b", keyPrefix).toArray(String[]::new));
        portB = ((WebServerApplicationContext) survivor).getWebServer().getPort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RecoveryNodeMain.class.getName()));
        command.addAll(args("node-a", keyPrefix));
        doomed = new ProcessBuilder(command)
                .redirectError(dir.resolve("node-a.log").toFile())
                .start();
        AtomicReference<Integer> port = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(doomed.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("PORT ")) {
                        port.set(Integer.parseInt(line.substring(5).trim()));
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
                .until(() -> port.get() != null);
        portA = port.get();
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
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

    /** SIGKILL: node A writes nothing more. */
    private void killNodeA() {
        doomed.destroyForcibly();
        try {
            assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aClientOfAKilledNodeRecoversOnAnother() throws Exception {
        String carolToken = clients.register(portB, "carol@example.com", "password-3");
        String daveToken = clients.register(portB, "dave@example.com", "password-4");
        clients.post(portB, "/api/chat", "{\"name\":\"survivors\"}", carolToken);

        AtomicReference<String> pid = new AtomicReference<>();
        List<Object[]> carolGot = new CopyOnWriteArrayList<>();
        Socket carol = clients.connect(portA, Map.of("token", carolToken), pid, carolGot);
        join(carol, "survivors");
        await().atMost(Duration.ofSeconds(20)).until(() -> !carolGot.isEmpty()); // her own join event message
        Object[] last = carolGot.get(carolGot.size() - 1);
        String offset = (String) last[last.length - 1];
        Socket dave = clients.connect(portB, Map.of("token", daveToken));
        join(dave, "survivors");

        killNodeA();
        await().atMost(Duration.ofSeconds(30)).until(() -> !carol.connected());
        List<String> missed = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            missed.add(request(
                            dave,
                            "sendMessage",
                            new JSONObject(Map.of("roomName", "survivors", "message", "missed " + i)))
                    .getString("id"));
        }

        clients.assertRecovers(portB, carolToken, pid.get(), offset, dave, "survivors", missed);
    }

    /** The stock npm client, on node A when it is killed, is recovered on node B. */
    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void theNpmClientOfAKilledNodeRecoversOnAnother(String mode) throws Exception {
        String alice = "alice-" + mode + "@example.com";
        String bob = "bob-" + mode + "@example.com";
        String aliceToken = clients.register(portB, alice, "password-1");
        String bobToken = clients.register(portB, bob, "password-2");
        clients.post(portB, "/api/chat", "{\"name\":\"killed-" + mode + "\"}", aliceToken);

        clients.npmRecovers(
                mode,
                portA,
                portB,
                portB,
                "killed-" + mode,
                Map.of("alice", new String[] {alice, aliceToken}, "bob", new String[] {bob, bobToken}),
                paused -> killNodeA());
    }

    private void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        mysql.databaseUrl(mysql.host(), mysql.port(), ""), mysql.user(), mysql.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
