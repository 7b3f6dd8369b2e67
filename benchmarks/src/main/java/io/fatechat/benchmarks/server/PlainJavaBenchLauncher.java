package io.fatechat.benchmarks.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fatechat.benchmarks.load.CommandLine;
import io.fatechat.core.ChatEngine;
import io.fatechat.examples.plain.PlainJavaChatServer;
import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.mysql.JdbcStoreConfig;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.RoomExistsException;
import io.fatechat.spi.UserStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The "plain" lane of scripts/bench/run.sh: the plain-Java example exactly as it ships
 * ({@link PlainJavaChatServer#start}: Jetty, H2 file, default limits) on {@code --port}, and beside it, on the
 * loopback-only {@code --bench-port}, the {@code /bench/tokens}, {@code /bench/rooms} and {@code /bench/memory}
 * the load generator needs (given to it as {@code --bench-url}); the example itself has no place for them.
 *
 * <pre>java -cp benchmarks.jar io.fatechat.benchmarks.server.PlainJavaBenchLauncher --port 3203 --bench-port 3204 --data DIR</pre>
 *
 * Load users are stored without a password hash (no bcrypt per user, and nobody can log in as one) through a
 * second {@link JdbcChatStores} on the same H2 file, which H2 shares inside one JVM; the example's engine issues
 * their tokens ({@link ChatEngine#issueToken}).
 */
public final class PlainJavaBenchLauncher {

    private static final int MAX_COUNT = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlainJavaBenchLauncher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = CommandLine.parse(args);
        int port = Integer.parseInt(opts.getOrDefault("port", "3203"));
        int benchPort = Integer.parseInt(opts.getOrDefault("bench-port", "3204"));
        Path data = opts.containsKey("data") ? Path.of(opts.get("data")) : Files.createTempDirectory("fatechat-plain");
        String jdbcUrl = JdbcStoreConfig.h2FileUrl(
                data.resolve("plain-java").toAbsolutePath().toString());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);

        PlainJavaChatServer chat = PlainJavaChatServer.start(port, jdbcUrl, secret);
        JdbcChatStores stores =
                JdbcChatStores.start(JdbcStoreConfig.builder(jdbcUrl).build());
        BenchApi api = new BenchApi(chat.engine(), stores.users());

        Server bench = new Server();
        ServerConnector connector = new ServerConnector(bench);
        connector.setHost("127.0.0.1"); // minting tokens for anyone: loopback only
        connector.setPort(benchPort);
        bench.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(api), "/bench/*");
        bench.setHandler(context);
        bench.start();

        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                bench.stop();
                                stores.close();
                                chat.close();
                            } catch (Exception e) {
                                System.err.println("plain: shutdown failed: " + e);
                            }
                        },
                        "plain-bench-shutdown"));
        System.out.printf(
                "plain-Java example on :%d (chat), /bench/* on 127.0.0.1:%d, H2 under %s%n",
                chat.port(), benchPort, data);
        bench.join();
    }

    /** The /bench/* contract of the reference server's bench profile and the Node peer. */
    private static final class BenchApi extends HttpServlet {
        private final transient ChatEngine engine;
        private final transient UserStore users;

        BenchApi(ChatEngine engine, UserStore users) {
            this.engine = engine;
            this.users = users;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/json");
            if (!InetAddress.getByName(req.getRemoteAddr()).isLoopbackAddress()) {
                resp.setStatus(403);
                JSON.writeValue(resp.getOutputStream(), Map.of("error", "loopback only", "code", "forbidden"));
                return;
            }
            Object body;
            try {
                body = switch (String.valueOf(req.getPathInfo())) {
                    case "/tokens" -> tokens(
                            req.getParameter("prefix"), intParam(req, "from", 0), intParam(req, "count", 1));
                    case "/rooms" -> rooms(req.getParameter("prefix"), intParam(req, "count", 1));
                    case "/memory" -> memory();
                    default -> null;
                };
            } catch (NumberFormatException e) {
                resp.setStatus(400);
                JSON.writeValue(resp.getOutputStream(), Map.of("error", "bad number", "code", "bad_request"));
                return;
            } catch (InvalidInputException e) {
                // a prefix that makes no valid e-mail or room name
                resp.setStatus(400);
                JSON.writeValue(resp.getOutputStream(), Map.of("error", e.getMessage(), "code", "bad_request"));
                return;
            }
            if (body == null) {
                resp.setStatus(404);
                body = Map.of("error", "no such bench endpoint", "code", "not_found");
            }
            JSON.writeValue(resp.getOutputStream(), body);
        }

        private static int intParam(HttpServletRequest req, String name, int fallback) {
            String v = req.getParameter(name);
            return v == null ? fallback : Integer.parseInt(v);
        }

        private String[] tokens(String prefix, int from, int count) {
            String p = prefix == null ? "u" : prefix;
            int n = Math.max(0, Math.min(count, MAX_COUNT));
            String[] tokens = new String[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = BenchTokens.issue(engine, users, p + (from + i) + "@bench.local");
            }
            return tokens;
        }

        private Map<String, Object> rooms(String prefix, int count) {
            String p = prefix == null ? "room" : prefix;
            int n = Math.max(0, Math.min(count, MAX_COUNT));
            for (int i = 0; i < n; i++) {
                try {
                    engine.createRoom("bench@bench.local", p + i);
                } catch (RoomExistsException e) {
                    // created by an earlier generator against the same server: fine
                }
            }
            return Map.of("ok", true, "rooms", n);
        }

        private Map<String, Object> memory() {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            // Twice: the first may only promote what the second frees.
            System.gc();
            System.gc();
            return Map.of(
                    "heapUsed", memory.getHeapMemoryUsage().getUsed(),
                    "nonHeapUsed", memory.getNonHeapMemoryUsage().getUsed(),
                    "connections", engine.connectionCount(),
                    "pid", ProcessHandle.current().pid(),
                    "runtime", "java " + Runtime.version() + " (plain-Java example)");
        }
    }
}
