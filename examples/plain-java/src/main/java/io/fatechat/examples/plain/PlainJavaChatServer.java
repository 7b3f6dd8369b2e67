package io.fatechat.examples.plain;

import io.fatechat.core.ChatEngine;
import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.mysql.JdbcStoreConfig;
import io.fatechat.socketio.SocketIoConfig;
import io.fatechat.ws.ChatRestServlet;
import io.fatechat.ws.ChatSocketIoEndpoint;
import io.fatechat.ws.SocketIoClientServlet;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Fatechat chat without Spring: an embedded Jetty 12 (ee10) serving the Socket.IO endpoint at
 * {@code /socket.io/}, the REST API at {@code /api/} and the web UI at {@code /}, on a {@link ChatEngine} built
 * by hand with JDBC stores in an H2 file (in-memory bus and presence: one node).
 *
 * <pre>
 * java -cp ... io.fatechat.examples.plain.PlainJavaChatServer [port]     (default 3001)
 * </pre>
 * {@code FATECHAT_JDBC_URL} picks another database; {@code FATECHAT_AUTH_TOKEN_SECRET} (32+ bytes) keeps
 * tokens valid across restarts.
 */
public final class PlainJavaChatServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PlainJavaChatServer.class);

    private final JdbcChatStores stores;
    private final ChatEngine engine;
    private final Server jetty;
    private final AtomicReference<ChatSocketIoEndpoint> endpoint = new AtomicReference<>();

    private PlainJavaChatServer(int port, String jdbcUrl, byte[] tokenSecret) throws Exception {
        stores = JdbcChatStores.start(JdbcStoreConfig.builder(jdbcUrl).build());
        ChatEngine.Builder builder = ChatEngine.builder()
                .userStore(stores.users())
                .roomStore(stores.rooms())
                .historyStore(stores.history());
        if (tokenSecret != null) {
            builder.tokenSecret(tokenSecret);
        }
        engine = builder.build();

        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setPort(port);
        jetty.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        context.setBaseResource(ResourceFactory.of(context).newClassLoaderResource("static/"));
        ServletHolder rest = new ServletHolder("rest", new ChatRestServlet(engine, 64 * 1024));
        rest.setAsyncSupported(true); // bodies are read without holding a thread while a client dribbles
        context.addServlet(rest, "/api/*");
        context.addServlet(new ServletHolder("ui", DefaultServlet.class), "/");
        SocketIoConfig config = SocketIoConfig.defaults();
        // the browser client at /socket.io/socket.io.js, as Node's server serves it
        SocketIoClientServlet client = SocketIoClientServlet.load();
        if (client != null) {
            ServletHolder holder = new ServletHolder("socket.io-client", client);
            for (String mapping : SocketIoClientServlet.mappings(config.path())) {
                context.addServlet(holder, mapping);
            }
        }
        JakartaWebSocketServletContainerInitializer.configure(
                context,
                (servletContext, container) ->
                        endpoint.set(ChatSocketIoEndpoint.install(servletContext, container, engine, config)));
        jetty.setHandler(context);
        jetty.start();
    }

    /**
     * Starts a server.
     *
     * @param port the HTTP port, 0 for any free one
     * @param jdbcUrl where users, rooms and history live, e.g. {@link JdbcStoreConfig#DEFAULT_H2_URL}
     * @param tokenSecret the token signing secret (32+ bytes), or null for a random one
     */
    public static PlainJavaChatServer start(int port, String jdbcUrl, byte[] tokenSecret) throws Exception {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        return new PlainJavaChatServer(port, jdbcUrl, tokenSecret);
    }

    /** The port the server listens on. */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** The chat engine, e.g. to register users from code. */
    public ChatEngine engine() {
        return engine;
    }

    @Override
    public void close() throws Exception {
        ChatSocketIoEndpoint e = endpoint.getAndSet(null);
        if (e != null) {
            e.close();
        }
        jetty.stop();
        engine.close();
        stores.close();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3001;
        String jdbcUrl =
                System.getenv().getOrDefault("FATECHAT_JDBC_URL", JdbcStoreConfig.h2FileUrl("./data/plain-java"));
        String secret = System.getenv("FATECHAT_AUTH_TOKEN_SECRET");
        PlainJavaChatServer server =
                start(port, jdbcUrl, secret == null ? null : secret.getBytes(StandardCharsets.UTF_8));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                server.close();
                            } catch (Exception e) {
                                log.warn("Shutdown failed", e);
                            }
                        },
                        "fatechat-shutdown"));
        // on standard output: under "mvn -q exec:java" a log line would go through Maven's quieted logger
        System.out.printf(
                "Fatechat (plain Java, Jetty) is up: bus=in-memory, presence=in-memory, "
                        + "users/rooms/history=%s | web UI at http://localhost:%d/ | Ctrl-C stops it%n",
                jdbcUrl.replaceAll(";.*$", ""), server.port());
        server.jetty.join();
    }
}
