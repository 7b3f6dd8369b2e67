package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interop with the stock npm {@code socket.io-client} v4 under Node: {@code src/test/node/chat-scenario.js}
 * runs the chat scenario against this server, once with the default options (polling, then the upgrade) and
 * once WebSocket only. The build installs the client with npm before the integration tests; the node binary is
 * {@code $FATECHAT_NODE} or {@code node} on the PATH.
 */
class ChatNodeClientInteropIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The script bounds itself at 60 s; this is the backstop for a hung Node process. */
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(90);

    private static final Path NODE_DIR =
            Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("src/test/node");

    private ChatTestServer server;

    @BeforeEach
    void start() throws Exception {
        assertThat(NODE_DIR.resolve("node_modules/socket.io-client/package.json"))
                .as("the npm socket.io-client is installed by the build (mvn verify runs npm install in %s)", NODE_DIR)
                .exists();
        server = ChatTestServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void defaultTransportsPollThenUpgrade() throws Exception {
        JsonNode result = runScenario("default");

        for (String user : List.of("alice", "bob", "carol")) {
            JsonNode transport = result.path("transports").path(user);
            assertThat(transport.path("opened").asText())
                    .as("%s opened on", user)
                    .isEqualTo("polling");
            assertThat(transport.path("upgradedTo").asText())
                    .as("%s upgraded to", user)
                    .isEqualTo("websocket");
        }
    }

    @Test
    void websocketOnly() throws Exception {
        JsonNode result = runScenario("websocket");

        for (String user : List.of("alice", "bob", "carol")) {
            JsonNode transport = result.path("transports").path(user);
            assertThat(transport.path("opened").asText())
                    .as("%s opened on", user)
                    .isEqualTo("websocket");
            assertThat(transport.has("upgradedTo")).as("%s upgraded", user).isFalse();
        }
    }

    private JsonNode runScenario(String mode) throws Exception {
        ObjectNode config = JSON.createObjectNode()
                .put("url", server.url())
                .put("mode", mode)
                .put("room", server.createRoom("Interop " + mode))
                .put("maxMessageLength", ChatTestServer.MAX_MESSAGE_LENGTH);
        ObjectNode users = config.putObject("users");
        for (String name : List.of("alice", "bob", "carol")) {
            String email = name + "-" + mode + "@example.com";
            users.putObject(name).put("email", email).put("token", server.register(email));
        }

        Path stdout = Files.createTempFile("chat-scenario-" + mode, ".out");
        Path stderr = Files.createTempFile("chat-scenario-" + mode, ".err");
        try {
            String node = System.getenv().getOrDefault("FATECHAT_NODE", "node");
            Process process = new ProcessBuilder(node, "chat-scenario.js", config.toString())
                    .directory(NODE_DIR.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            boolean exited;
            try {
                exited = process.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertThat(exited)
                    .as("node exited within %s; stdout: %s; stderr: %s", PROCESS_TIMEOUT, out, err)
                    .isTrue();
            String lastLine =
                    out.strip().lines().reduce((first, second) -> second).orElse("");
            JsonNode result = JSON.readTree(lastLine.isEmpty() ? "{}" : lastLine);
            assertThat(process.exitValue())
                    .as("exit code; result: %s; stderr: %s", out, err)
                    .isZero();
            assertThat(result.path("ok").asBoolean()).as("result: %s", out).isTrue();
            assertThat(result.path("mode").asText()).isEqualTo(mode);
            assertThat(result.path("steps").toString())
                    .contains(
                            "refused",
                            "joined",
                            "onlineUsers",
                            "roomChat",
                            "privateChat",
                            "recentMessages",
                            "thirdUserIsolated",
                            "badInput",
                            "disconnected");
            return result;
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static java.io.File nullDevice() throws IOException {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
