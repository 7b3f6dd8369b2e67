package io.fatechat.examples.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fatechat.socketio.EngineIoServer;
import io.fatechat.socketio.SocketIoConfig;
import io.fatechat.socketio.SocketIoDeployment;
import io.fatechat.socketio.SocketIoServer;
import io.fatechat.socketio.SocketIoSocket;
import java.time.Duration;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The server the Socket.IO project's protocol test suites expect on port 3000 (socketio/socket.io,
 * {@code docs/engine.io-protocol/v4-test-suite} and {@code docs/socket.io-protocol/v5-test-suite}): ping interval
 * 300 ms, ping timeout 200 ms, maxPayload 1,000,000, connect timeout 1 s; a plain Engine.IO echo at
 * {@code /engine.io/}; at {@code /socket.io/} the namespaces {@code /} and {@code /custom}, which emit
 * {@code auth} with the CONNECT payload, echo {@code message} as {@code message-back} and acknowledge
 * {@code message-with-ack} with its arguments.
 *
 * <p>Run: {@code mvn -q -pl examples/socketio-conformance exec:java} (system property {@code port} overrides 3000).
 */
public final class ConformanceServer {

    private ConformanceServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("port", 3000);
        Server server = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }));
        System.out.println("Socket.IO conformance server listening on port " + port);
        server.join();
    }

    /** Starts the server on {@code port} (0 = any free port). */
    public static Server start(int port) throws Exception {
        SocketIoConfig.Builder config = SocketIoConfig.builder()
                .pingInterval(Duration.ofMillis(300))
                .pingTimeout(Duration.ofMillis(200))
                .maxPayload(1_000_000)
                .connectTimeout(Duration.ofMillis(1000))
                .allowedOrigins(SocketIoConfig.ANY_ORIGIN);

        EngineIoServer engineIo =
                EngineIoServer.create(config.path("/engine.io/").build());
        engineIo.onConnection(socket -> {
            socket.onText(socket::send);
            socket.onBinary(socket::send);
        });

        SocketIoServer socketIo =
                SocketIoServer.create(config.path("/socket.io/").build());
        Consumer<SocketIoSocket> handlers = socket -> {
            socket.emit("auth", socket.handshake().auth());
            socket.on("message", (eventArgs, ack) -> socket.emit("message-back", spread(eventArgs)));
            socket.on("message-with-ack", (eventArgs, ack) -> ack.send(spread(eventArgs)));
        };
        socketIo.onConnection(handlers);
        socketIo.namespace("/custom").onConnection(handlers);

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
            SocketIoDeployment.register(servletContext, container, engineIo);
            SocketIoDeployment.register(servletContext, container, socketIo);
        });
        server.setHandler(context);
        server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(org.eclipse.jetty.util.component.LifeCycle event) {
                engineIo.close();
                socketIo.close();
            }
        });
        server.start();
        return server;
    }

    private static Object[] spread(ArrayNode args) {
        Object[] out = new Object[args.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = args.get(i);
        }
        return out;
    }
}
