package io.fatechat.benchmarks.jmh;

import io.fatechat.benchmarks.load.SioClient;
import io.fatechat.socketio.SocketIoConfig;
import io.fatechat.socketio.SocketIoDeployment;
import io.fatechat.socketio.SocketIoServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * The protocol layer alone (no chat) in an embedded Jetty on an ephemeral loopback port, with {@code n} lean
 * WebSocket clients connected and joined to room {@code r}; the server acks every {@code echo} with its args.
 */
final class SocketIoFixture implements AutoCloseable {

    final SocketIoServer io;
    final AtomicLong received = new AtomicLong();
    final List<SioClient> clients = new ArrayList<>();
    private final Server jetty;
    private final WebSocketCoreClient ws;
    private final org.eclipse.jetty.client.HttpClient http;

    SocketIoFixture(int n) throws Exception {
        io = SocketIoServer.create(SocketIoConfig.builder()
                .allowedOrigins(SocketIoConfig.ANY_ORIGIN)
                .workerThreads(4)
                .build());
        io.onConnection(socket -> {
            socket.join("r");
            socket.on("echo", (args, ack) -> {
                if (ack.requested()) {
                    ack.send(args.path(0));
                }
            });
        });
        jetty = new Server(new QueuedThreadPool(16, 4));
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        jetty.setHandler(context);
        JakartaWebSocketServletContainerInitializer.configure(
                context, (ctx, container) -> SocketIoDeployment.register(ctx, container, io));
        jetty.start();
        http = new org.eclipse.jetty.client.HttpClient();
        http.setMaxConnectionsPerDestination(100_000);
        ws = new WebSocketCoreClient(http, null);
        ws.start();
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        SioClient.Listener listener = new SioClient.Listener() {
            @Override
            public void onEvent(SioClient client, String packet, int arrayStart, long receivedNanos) {
                received.incrementAndGet();
            }

            @Override
            public void onClosed(SioClient client, String reason) {}
        };
        for (int i = 0; i < n; i++) {
            SioClient client = new SioClient(i, "any", listener);
            clients.add(client);
            client.connect(ws, base, 30_000).get(60, TimeUnit.SECONDS);
        }
        // Every client is in the room once a broadcast reaches all of them.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long before = received.get();
            io.to("r").emit("warmup", "x");
            try {
                Spin.until(() -> received.get() >= before + n, 2_000, "warm-up broadcast");
                break;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (SioClient c : clients) {
            c.close();
        }
        ws.stop();
        http.stop();
        io.close();
        jetty.stop();
    }
}
