package io.fatechat.benchmarks.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fatechat.benchmarks.load.BenchApiClient;
import io.fatechat.benchmarks.load.CommandLine;
import io.fatechat.benchmarks.load.LoopbackSources;
import io.fatechat.benchmarks.load.SioClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The join storm of issue 19: N clients, connected beforehand and split over the nodes, all emit {@code joinRoom}
 * at once (client i to room i % R). Reports how long until every join was acknowledged, the acks' latency, how
 * many {@code onlineUsers} events each client got (one per join would be N/R each; coalesced, far fewer), and
 * whether each client's last {@code onlineUsers} lists every member of its room once the storm has settled.
 *
 * <pre>
 * java -cp benchmarks.jar io.fatechat.benchmarks.kafka.JoinStorm --url http://127.0.0.1:3301,http://127.0.0.1:3302 \
 *      --clients 1000 --rooms 100 --prefix storm --out storm.json [--source-addrs 100]
 * </pre>
 * The servers must serve the bench profile's {@code /bench/tokens} and {@code /bench/rooms}. Loopback only. The
 * clients connect from {@code --source-addrs} loopback addresses (100 by default): a server refuses one address
 * more than 200 sessions by default (HTTP 429), and the storm tests joins, not that cap. Refused connects are
 * counted in {@code connectErrors} and named in {@code errorSamples}.
 */
public final class JoinStorm {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ONLINE = "[\"onlineUsers\"";

    private JoinStorm() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = CommandLine.parse(args);
        List<URI> urls = new ArrayList<>();
        for (String u : opts.getOrDefault("url", "http://127.0.0.1:3301").split(",")) {
            URI uri = URI.create(u.trim());
            if (!("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()))) {
                throw new IllegalArgumentException("only loopback servers, got " + u);
            }
            urls.add(uri);
        }
        int clients = Integer.parseInt(opts.getOrDefault("clients", "1000"));
        int rooms = Integer.parseInt(opts.getOrDefault("rooms", "100"));
        int settleSeconds = Integer.parseInt(opts.getOrDefault("settle", "10"));
        int sourceAddrs = Integer.parseInt(opts.getOrDefault("source-addrs", "100"));
        String prefix = opts.getOrDefault("prefix", "storm");
        ObjectNode result = run(urls, clients, rooms, prefix, settleSeconds, sourceAddrs);
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        if (opts.containsKey("out")) {
            Files.writeString(Path.of(opts.get("out")), text);
        }
        System.out.println(text);
        System.exit(0);
    }

    private static ObjectNode run(
            List<URI> urls, int clients, int rooms, String prefix, int settleSeconds, int sourceAddrs)
            throws Exception {
        BenchApiClient benchApi = new BenchApiClient();
        benchApi.get(urls.get(0), "/bench/rooms?prefix=" + prefix + "r&count=" + rooms);
        List<String> tokens = new ArrayList<>();
        JSON.readTree(benchApi.get(urls.get(0), "/bench/tokens?prefix=" + prefix + "u&from=0&count=" + clients))
                .forEach(t -> tokens.add(t.asText()));

        // Spread over many source addresses: a server holds at most 200 sessions per address by default
        // (fatechat.socketio.max-connections-per-address) and refuses more with HTTP 429.
        LoopbackSources sources = LoopbackSources.start("storm", sourceAddrs);

        LongAdder onlineEvents = new LongAdder();
        AtomicReferenceArray<String> lastOnline = new AtomicReferenceArray<>(clients);
        SioClient.Listener listener = new SioClient.Listener() {
            @Override
            public void onEvent(SioClient client, String packet, int arrayStart, long receivedNanos) {
                if (packet.startsWith(ONLINE, arrayStart)) {
                    onlineEvents.increment();
                    lastOnline.set(client.index, packet.substring(arrayStart));
                }
            }

            @Override
            public void onClosed(SioClient client, String reason) {}
        };

        SioClient[] all = new SioClient[clients];
        Semaphore connecting = new Semaphore(200);
        CountDownLatch connected = new CountDownLatch(clients);
        AtomicInteger connectErrors = new AtomicInteger();
        Map<String, Integer> errorSamples = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < clients; i++) {
            connecting.acquire();
            all[i] = new SioClient(i, tokens.get(i), listener);
            all[i].connect(sources.forClient(i, urls.size()), urls.get(i % urls.size()), 30_000)
                    .whenComplete((c, e) -> {
                        connecting.release();
                        if (e != null) {
                            connectErrors.incrementAndGet();
                            errorSamples.merge(sample("connect: " + SioClient.failureReason(e)), 1, Integer::sum);
                        }
                        connected.countDown();
                    });
        }
        connected.await(120, TimeUnit.SECONDS);
        log("connected %d/%d", clients - connectErrors.get(), clients);

        // The storm: every join at once, nothing in the way.
        Histogram ackMicros = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        CountDownLatch acked = new CountDownLatch(clients);
        java.util.concurrent.atomic.AtomicIntegerArray ackedClient =
                new java.util.concurrent.atomic.AtomicIntegerArray(clients);
        AtomicInteger joinErrors = new AtomicInteger();
        long lastAck[] = {0};
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            SioClient c = all[i];
            if (!c.isOpen()) {
                joinErrors.incrementAndGet();
                ackedClient.set(i, 1); // counted as an error already
                acked.countDown();
                continue;
            }
            long sent = System.nanoTime();
            c.emit("joinRoom", "{\"roomName\":\"" + prefix + "r" + (i % rooms) + "\"}", ack -> {
                long now = System.nanoTime();
                synchronized (ackMicros) {
                    ackMicros.recordValue(Math.max(0, (now - sent) / 1_000));
                    lastAck[0] = Math.max(lastAck[0], now);
                }
                if (!ack.contains("\"ok\":true")) {
                    joinErrors.incrementAndGet();
                    errorSamples.merge(sample(ack), 1, Integer::sum);
                }
                ackedClient.set(c.index, 1);
                acked.countDown();
            });
        }
        boolean all_acked = acked.await(60, TimeUnit.SECONDS);
        if (!all_acked) {
            // Which node the unacknowledged joins went to, and whether their socket is still open.
            for (int i = 0; i < clients; i++) {
                if (all[i] != null && all[i].isOpen() && ackedClient.get(i) == 0) {
                    errorSamples.merge("no join ack, socket open, node " + urls.get(i % urls.size()), 1, Integer::sum);
                } else if (all[i] != null && !all[i].isOpen() && ackedClient.get(i) == 0) {
                    errorSamples.merge(
                            "no join ack, socket closed, node " + urls.get(i % urls.size()), 1, Integer::sum);
                }
            }
        }
        double joinSeconds = (lastAck[0] == 0 ? System.nanoTime() : lastAck[0]) - start;
        log("joins acked: %s in %.2f s, %d errors", all_acked ? "all" : "NOT all", joinSeconds / 1e9, joinErrors.get());
        long eventsAtAck = onlineEvents.sum();

        // Settle: presence must converge to the full rooms on every client.
        int members = clients / rooms;
        long settleEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(settleSeconds);
        int complete = 0;
        double convergedSeconds = -1;
        while (System.nanoTime() < settleEnd) {
            complete = countComplete(lastOnline, clients, rooms);
            if (complete == clients && convergedSeconds < 0) {
                convergedSeconds = (System.nanoTime() - start) / 1e9;
                break;
            }
            Thread.sleep(250);
        }
        Thread.sleep(1_000); // late stragglers still count as events
        complete = countComplete(lastOnline, clients, rooms);

        ObjectNode r = JSON.createObjectNode();
        r.put("clients", clients);
        r.put("rooms", rooms);
        r.put("membersPerRoom", members);
        r.put("connectErrors", connectErrors.get());
        r.put("joined", clients - joinErrors.get() - (int) acked.getCount());
        r.put("joinErrors", joinErrors.get() + (int) acked.getCount());
        r.put("joinSeconds", Math.round(joinSeconds / 1e7) / 100.0);
        r.put("ackP50Ms", ackMicros.getValueAtPercentile(50) / 1000.0);
        r.put("ackP99Ms", ackMicros.getValueAtPercentile(99) / 1000.0);
        r.put("ackMaxMs", ackMicros.getMaxValue() / 1000.0);
        r.put("onlineUsersEvents", onlineEvents.sum());
        r.put("onlineUsersEventsByLastAck", eventsAtAck);
        r.put("onlineUsersPerClient", Math.round(onlineEvents.sum() * 10.0 / clients) / 10.0);
        r.put("clientsWithFullRoom", complete);
        r.put("presenceConvergedSeconds", Math.round(convergedSeconds * 100) / 100.0);
        ObjectNode samples = r.putObject("errorSamples");
        errorSamples.forEach(samples::put);
        for (SioClient c : all) {
            if (c != null) {
                c.close();
            }
        }
        sources.close();
        return r;
    }

    /** Clients whose last onlineUsers lists as many users as their room has members. */
    private static int countComplete(AtomicReferenceArray<String> lastOnline, int clients, int rooms) {
        int complete = 0;
        for (int i = 0; i < clients; i++) {
            String packet = lastOnline.get(i);
            if (packet == null) {
                continue;
            }
            try {
                JsonNode users = JSON.readTree(packet).path(1).path("users");
                // room i % rooms holds the clients with that remainder
                int expected = clients / rooms + (i % rooms < clients % rooms ? 1 : 0);
                if (users.size() == expected) {
                    complete++;
                }
            } catch (IOException e) {
                // malformed: not complete
            }
        }
        return complete;
    }

    private static String sample(String text) {
        return text.length() > 160 ? text.substring(0, 160) : text;
    }

    private static void log(String format, Object... args) {
        System.err.printf("[storm] " + format + "%n", args);
    }
}
