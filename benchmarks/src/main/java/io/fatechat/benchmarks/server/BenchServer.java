package io.fatechat.benchmarks.server;

import io.fatechat.benchmarks.load.CommandLine;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatLimits;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.kafka.KafkaBusConfig;
import io.fatechat.kafka.KafkaMessageBus;
import io.fatechat.socketio.SocketIoConfig;
import io.fatechat.spi.RoomExistsException;
import io.fatechat.spi.UserStore;
import io.fatechat.ws.ChatSocketIoEndpoint;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A lean "ours" for the load generator: embedded Jetty (ee10) + the chat's Socket.IO binding + a
 * {@link ChatEngine} on its in-memory stores, optionally with the {@link KafkaMessageBus}. No Spring.
 *
 * <p>Besides {@code /socket.io/} it serves the small {@code /bench/*} API the load generator and the Node
 * peer share: {@code tokens?prefix&from&count} (a JSON array of engine tokens for
 * {@code <prefix><i>@bench.local}), {@code rooms?prefix&count} (creates rooms {@code <prefix><i>}),
 * {@code memory} (heap used after a full GC, and the pid), {@code diag?cmd=gcClassHistogram} (any jcmd
 * diagnostic command, without attaching), {@code stop}.
 *
 * <pre>java -cp benchmarks.jar io.fatechat.benchmarks.server.BenchServer --port 3201 [--kafka host:port --node a]</pre>
 */
public final class BenchServer {

    /** The bench's shared token secret: tokens one node issues verify on the others. */
    static final String SECRET = "fatechat benchmark secret, not for production use";

    private BenchServer() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = CommandLine.parse(args);
        String host = opts.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(opts.getOrDefault("port", "3201"));
        String kafka = opts.get("kafka");
        String node = opts.getOrDefault("node", "bench-" + port);
        int workers = Integer.parseInt(opts.getOrDefault(
                "workers", String.valueOf(Math.max(4, Runtime.getRuntime().availableProcessors() * 2))));
        Duration ping = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("ping-interval", "10")));

        InMemoryUserStore users = new InMemoryUserStore();
        ChatEngine.Builder builder = ChatEngine.builder()
                .nodeId(node)
                .userStore(users)
                .tokenSecret(SECRET)
                .bcryptCost(4)
                // the scenarios send far above a human's rate from one user: lift the per-user limit
                .limits(ChatLimits.builder()
                        .messagesPerSecond(100_000)
                        .messageBurst(100_000)
                        .build());
        KafkaMessageBus bus = null;
        if (kafka != null) {
            bus = KafkaMessageBus.start(KafkaBusConfig.builder(kafka)
                    .nodeId(node)
                    .messagesTopic(opts.getOrDefault("topic-prefix", "bench-") + "messages")
                    .eventsTopic(opts.getOrDefault("topic-prefix", "bench-") + "events")
                    .build());
            builder.messageBus(bus);
        }
        ChatEngine engine = builder.build();

        SocketIoConfig config = SocketIoConfig.builder()
                .allowedOrigins(SocketIoConfig.ANY_ORIGIN)
                .pingInterval(ping)
                .pingTimeout(Duration.ofSeconds(20))
                .workerThreads(workers)
                .build();
        QueuedThreadPool pool = new QueuedThreadPool(Integer.parseInt(opts.getOrDefault("jetty-threads", "32")), 4);
        pool.setName("jetty");
        Server jetty = new Server(pool);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        jetty.setHandler(context);
        CountDownLatch stop = new CountDownLatch(1);
        context.addServlet(new ServletHolder(new BenchApi(engine, users, stop)), "/bench/*");
        AtomicReference<ChatSocketIoEndpoint> endpoint = new AtomicReference<>();
        JakartaWebSocketServletContainerInitializer.configure(
                context,
                (servletContext, container) ->
                        endpoint.set(ChatSocketIoEndpoint.install(servletContext, container, engine, config)));
        jetty.start();
        System.out.printf(
                "BenchServer node=%s bus=%s listening on http://%s:%d pid=%d%n",
                node,
                kafka == null ? "in-memory" : "kafka(" + kafka + ")",
                host,
                connector.getLocalPort(),
                ProcessHandle.current().pid());
        KafkaMessageBus closeBus = bus;
        Runnable shutdown = () -> {
            try {
                endpoint.get().close();
                jetty.stop();
            } catch (Exception e) {
                System.err.println("stop: " + e);
            } finally {
                engine.close();
                if (closeBus != null) {
                    closeBus.close();
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
        shutdown.run();
        System.exit(0);
    }

    /** The {@code /bench/*} API. */
    private static final class BenchApi extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient ChatEngine engine;
        private final transient UserStore users;
        private final transient CountDownLatch stop;

        BenchApi(ChatEngine engine, UserStore users, CountDownLatch stop) {
            this.engine = engine;
            this.users = users;
            this.stop = stop;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            doPost(req, resp);
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String path = req.getPathInfo() == null ? "" : req.getPathInfo();
            StringBuilder out = new StringBuilder();
            switch (path) {
                case "/tokens" -> {
                    String prefix = param(req, "prefix", "u");
                    int from = Integer.parseInt(param(req, "from", "0"));
                    int count = Math.min(Integer.parseInt(param(req, "count", "1")), 100_000);
                    out.append('[');
                    for (int i = 0; i < count; i++) {
                        out.append(i == 0 ? "\"" : ",\"")
                                .append(BenchTokens.issue(engine, users, prefix + (from + i) + "@bench.local"))
                                .append('"');
                    }
                    out.append(']');
                }
                case "/rooms" -> {
                    String prefix = param(req, "prefix", "room");
                    int count = Math.min(Integer.parseInt(param(req, "count", "1")), 100_000);
                    for (int i = 0; i < count; i++) {
                        try {
                            engine.createRoom("bench@bench.local", prefix + i);
                        } catch (RoomExistsException e) {
                            // created by an earlier run or by the other node (shared stores): fine
                        }
                    }
                    out.append("{\"ok\":true,\"rooms\":").append(count).append('}');
                }
                case "/memory" -> {
                    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                    // Twice: the first may only promote what the second frees.
                    System.gc();
                    System.gc();
                    out.append("{\"heapUsed\":")
                            .append(memory.getHeapMemoryUsage().getUsed())
                            .append(",\"nonHeapUsed\":")
                            .append(memory.getNonHeapMemoryUsage().getUsed())
                            .append(",\"connections\":")
                            .append(engine.connectionCount())
                            .append(",\"pid\":")
                            .append(ProcessHandle.current().pid())
                            .append(",\"runtime\":\"java ")
                            .append(Runtime.version())
                            .append("\"}");
                }
                case "/diag" -> {
                    // jcmd without attach (which a busy or containerised host may refuse): gcClassHistogram,
                    // threadPrint, jfrStart (arg=duration=30s&arg=filename=/tmp/x.jfr), gcHeapInfo ...
                    String[] diagArgs =
                            req.getParameterValues("arg") == null ? new String[0] : req.getParameterValues("arg");
                    try {
                        Object answer = ManagementFactory.getPlatformMBeanServer()
                                .invoke(
                                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                                        param(req, "cmd", "gcHeapInfo"),
                                        new Object[] {diagArgs},
                                        new String[] {String[].class.getName()});
                        resp.setContentType("text/plain");
                        resp.setCharacterEncoding("UTF-8");
                        resp.getWriter().write(String.valueOf(answer));
                    } catch (Exception e) {
                        resp.sendError(400, e.toString());
                    }
                    return;
                }
                case "/stop" -> {
                    out.append("{\"ok\":true}");
                    stop.countDown();
                }
                default -> {
                    resp.sendError(404);
                    return;
                }
            }
            resp.setContentType("application/json");
            resp.setCharacterEncoding("UTF-8");
            resp.getWriter().write(out.toString());
        }

        private static String param(HttpServletRequest req, String name, String fallback) {
            String value = req.getParameter(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }
}
