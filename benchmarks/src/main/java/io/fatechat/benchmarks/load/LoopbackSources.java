package io.fatechat.benchmarks.load;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * WebSocket clients bound to the loopback source addresses {@code 127.0.0.1} .. {@code 127.0.0.<count>}, one per
 * address, on one thread pool. A server refuses one address more than {@code fatechat.socketio.max-connections-
 * per-address} sessions (200 by default, HTTP 429), so a load of more clients per server comes from several
 * addresses, as real clients do, instead of the shipped cap being raised for the bench.
 */
public final class LoopbackSources implements AutoCloseable {

    /** The most addresses: 127.0.0.1 .. 127.0.0.250 all route to the loopback interface. */
    public static final int MAX = 250;

    private final QueuedThreadPool pool;
    private final List<WebSocketCoreClient> clients = new ArrayList<>();

    private LoopbackSources(QueuedThreadPool pool) {
        this.pool = pool;
    }

    /** Clients on {@code count} addresses (1 to {@link #MAX}), their threads named after {@code name}. */
    public static LoopbackSources start(String name, int count) throws Exception {
        if (count < 1 || count > MAX) {
            throw new IllegalArgumentException("source addresses must be 1 to " + MAX + ", got " + count);
        }
        // one selector thread per address, plus workers
        QueuedThreadPool pool =
                new QueuedThreadPool(count + Math.max(8, Runtime.getRuntime().availableProcessors() * 4), 4);
        pool.setReservedThreads(0);
        pool.setName(name);
        pool.start();
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler(name + "-scheduler", true);
        scheduler.start();
        LoopbackSources sources = new LoopbackSources(pool);
        for (int s = 0; s < count; s++) {
            HttpClient http = new HttpClient();
            http.setExecutor(pool);
            http.setScheduler(scheduler);
            http.setBindAddress(new InetSocketAddress("127.0.0." + (1 + s), 0));
            http.setMaxConnectionsPerDestination(1_000_000);
            http.setMaxRequestsQueuedPerDestination(1_000_000);
            http.setConnectTimeout(10_000);
            http.setIdleTimeout(600_000);
            WebSocketCoreClient ws = new WebSocketCoreClient(http, null);
            ws.start();
            sources.clients.add(ws);
        }
        return sources;
    }

    /**
     * The client for load client {@code i} of clients dealt round robin over {@code servers} servers
     * ({@code i % servers}): each server's clients take the addresses in turn, so every server sees every address
     * and no address holds more than {@code ceil(clients / (servers * count))} of one server's sessions. (Taking
     * address {@code i % count} instead gives a server only some addresses when {@code servers} and
     * {@code count} share a factor: 4 addresses over 2 servers put 250 of 1,000 clients on each address.)
     */
    public WebSocketCoreClient forClient(int i, int servers) {
        return clients.get((i / servers) % clients.size());
    }

    public int count() {
        return clients.size();
    }

    @Override
    public void close() {
        for (WebSocketCoreClient ws : clients) {
            try {
                ws.getHttpClient().stop();
                ws.stop();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }
        try {
            pool.stop();
        } catch (Exception ignored) {
            // exiting anyway
        }
    }
}
