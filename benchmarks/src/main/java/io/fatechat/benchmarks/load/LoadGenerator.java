package io.fatechat.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * End-to-end load against any Socket.IO server speaking the chat events of docs/protocol.md (ours, or the Node peer).
 *
 * <pre>
 * java -cp benchmarks.jar io.fatechat.benchmarks.load.LoadGenerator --scenario latency --url http://127.0.0.1:3201 \
 *      --label ours --server-pids 1234 --out results/latency-ours.json [--clients 1000 --rooms 100 --rate 2000 ...]
 * </pre>
 *
 * Scenarios: {@code latency} (N clients in R rooms, a fixed send rate), {@code fanout} (one room, a few senders
 * each keeping a small window of their own messages in flight: as fast as the server takes it),
 * {@code connections} (ramp to N idle connections answering heartbeats, then memory per connection),
 * {@code kafka} (as latency, clients split over the comma-separated URLs of two nodes), {@code saturation} (as
 * latency, the rate raised step by step: the highest rate with p99 within a limit and every send acked),
 * {@code refused} (N sockets whose CONNECT carries a bad token, all refused; then the server must still answer).
 * {@code --bench-url} (comma-separated, one per URL) serves {@code /bench/*} elsewhere than the chat, e.g. on the
 * second port of {@code PlainJavaBenchLauncher}, whose example server has no room for it.
 *
 * <p>The send time ({@link System#nanoTime()} of this process) travels in the message text, so delivery latency
 * is measured on one clock. Tokens and rooms come from the server's {@code /bench/tokens} and
 * {@code /bench/rooms}; memory from {@code /bench/memory} (heap after GC) and {@code /proc/<pid>/status}
 * (RSS). Every phase is bounded in time; only loopback addresses are used.
 */
public final class LoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] PERCENTILES = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100};
    private static final String MARK = "\"messageText\":\"t:";

    private final Map<String, String> opts;
    private final String scenario;
    private final List<URI> urls = new ArrayList<>();
    /** Where each server answers /bench/*: the chat URLs unless --bench-url names others. */
    private final List<URI> benchUrls = new ArrayList<>();

    private final BenchApiClient benchApi = new BenchApiClient();
    private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder deliveredAll = new LongAdder();
    private final LongAdder expected = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    /** Sends of the measured window answered {"ok":true}. */
    private final LongAdder acked = new LongAdder();

    private final LongAdder disconnects = new LongAdder();
    private final Map<String, LongAdder> errorSamples = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private volatile boolean running = true;
    private Semaphore[] senderWindows = new Semaphore[0];
    private LoopbackSources sources;

    private LoadGenerator(Map<String, String> opts) {
        this.opts = opts;
        this.scenario = opts.getOrDefault("scenario", "latency");
        loopbackUrls(opts.getOrDefault("url", "http://127.0.0.1:3201"), urls);
        if (opts.containsKey("bench-url")) {
            loopbackUrls(opts.get("bench-url"), benchUrls);
            if (benchUrls.size() != urls.size()) {
                throw new IllegalArgumentException("--bench-url needs one URL per --url");
            }
        } else {
            benchUrls.addAll(urls);
        }
    }

    private static void loopbackUrls(String list, List<URI> into) {
        for (String u : list.split(",")) {
            URI uri = URI.create(u.trim());
            String host = uri.getHost();
            if (host == null || !(host.startsWith("127.") || host.equals("localhost"))) {
                throw new IllegalArgumentException("only loopback servers, got " + u);
            }
            into.add(uri);
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("loadgen.log", "warn"));
        Map<String, String> opts = CommandLine.parse(args);
        LoadGenerator generator = new LoadGenerator(opts);
        int rc = 0;
        try {
            ObjectNode result = generator.run();
            String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result);
            if (opts.containsKey("out")) {
                Path out = Path.of(opts.get("out"));
                if (out.getParent() != null) {
                    Files.createDirectories(out.getParent());
                }
                Files.writeString(out, text);
            }
            System.out.println(text);
        } catch (Exception e) {
            System.err.println("load generator failed: " + e);
            e.printStackTrace();
            rc = 1;
        } finally {
            generator.shutdown();
        }
        System.exit(rc);
    }

    private int intOpt(String name, int fallback) {
        return Integer.parseInt(opts.getOrDefault(name, String.valueOf(fallback)));
    }

    private ObjectNode run() throws Exception {
        boolean fanout = scenario.equals("fanout");
        boolean connectionsOnly = scenario.equals("connections");
        boolean refused = scenario.equals("refused");
        if (!List.of("latency", "fanout", "connections", "kafka", "saturation", "refused")
                .contains(scenario)) {
            throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        int clients = intOpt("clients", connectionsOnly ? 20_000 : 1_000);
        int rooms = intOpt("rooms", fanout ? 1 : 100);
        int users = intOpt("users", fanout ? Math.max(1, clients / 10) : clients);
        int rate = intOpt("rate", 2_000);
        int duration = intOpt("duration", fanout ? 20 : 30);
        int warmup = intOpt("warmup", 5);
        int hold = intOpt("hold", 15);
        int sourceAddrs = Math.max(1, Math.min(intOpt("source-addrs", 8), LoopbackSources.MAX));
        int concurrency = intOpt("connect-concurrency", 200);
        List<Long> pids = new ArrayList<>();
        for (String p : opts.getOrDefault("server-pids", "").split(",")) {
            if (!p.isBlank()) {
                pids.add(Long.parseLong(p.trim()));
            }
        }

        ObjectNode result = JSON.createObjectNode();
        result.put("scenario", scenario);
        result.put("label", opts.getOrDefault("label", "server"));
        result.put("urls", urls.toString());
        result.put("clients", clients);
        result.put("rooms", rooms);
        result.put("users", users);
        log("%s against %s: %d clients, %d rooms, %d users", scenario, urls, clients, rooms, users);

        // Setup: rooms on every node, tokens from the first.
        for (URI url : benchUrls) {
            benchApi.get(url, "/bench/rooms?prefix=room&count=" + rooms);
        }
        List<String> tokens = new ArrayList<>(users);
        for (int from = 0; from < users; from += 5_000) {
            JsonNode page = JSON.readTree(benchApi.get(
                    benchUrls.get(0),
                    "/bench/tokens?prefix=u&from=" + from + "&count=" + Math.min(5_000, users - from)));
            page.forEach(t -> tokens.add(t.asText()));
        }
        long rssBefore = rss(pids);
        long heapBefore = heap();
        result.put("serverRssBeforeBytes", rssBefore);
        result.put("serverHeapBeforeBytes", heapBefore);

        // Connect, spread over 127.0.0.1..127.0.0.<sourceAddrs> (the servers' per-address session cap).
        sources = LoopbackSources.start("loadgen", sourceAddrs);
        SioClient.Listener listener = new Listener();
        SioClient[] all = new SioClient[clients];
        Semaphore inFlight = new Semaphore(concurrency);
        LongAdder connectErrors = new LongAdder();
        AtomicInteger connectedCount = new AtomicInteger();
        CountDownLatch connectDone = new CountDownLatch(clients);
        long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(30, clients / 100));
        long t0 = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            long left = connectDeadline - System.nanoTime();
            if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                connectErrors.add(clients - i);
                for (int k = i; k < clients; k++) {
                    connectDone.countDown();
                }
                errorSample("connect phase timed out");
                break;
            }
            SioClient client = new SioClient(i, refused ? "not-a-token-" + i : tokens.get(i % users), listener);
            all[i] = client;
            client.connect(sources.forClient(i, urls.size()), urls.get(i % urls.size()), 15_000)
                    .whenComplete((c, e) -> {
                        inFlight.release();
                        if (e == null) {
                            connectedCount.incrementAndGet();
                        } else {
                            connectErrors.increment();
                            errorSample("connect: " + SioClient.failureReason(e));
                        }
                        connectDone.countDown();
                    });
        }
        connectDone.await(
                Math.max(1, (connectDeadline - System.nanoTime()) / 1_000_000) + 16_000, TimeUnit.MILLISECONDS);
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        result.put("connected", connectedCount.get());
        result.put("connectErrors", connectErrors.sum());
        result.put("connectSeconds", round(connectSeconds));
        result.put("connectsPerSec", round(connectedCount.get() / connectSeconds));
        log(
                "connected %d/%d in %.1f s (%.0f/s), %d errors",
                connectedCount.get(),
                clients,
                connectSeconds,
                connectedCount.get() / connectSeconds,
                connectErrors.sum());

        if (refused) {
            // Every CONNECT refused; then the server must still answer and hold no more than before.
            long refusedCount = errorSamples.entrySet().stream()
                    .filter(e -> e.getKey().contains("connect refused"))
                    .mapToLong(e -> e.getValue().sum())
                    .sum();
            result.put("refused", refusedCount);
            result.put("otherConnectErrors", connectErrors.sum() - refusedCount);
            Thread.sleep(TimeUnit.SECONDS.toMillis(hold));
            long heap = heap();
            result.put("serverHealthy", heap > 0);
            result.put("serverHeapBytes", heap);
            result.put("serverRssBytes", rss(pids));
            log(
                    "%d of %d CONNECTs refused, %d other errors; server %s, heap after GC %d MiB",
                    refusedCount,
                    clients,
                    connectErrors.sum() - refusedCount,
                    heap > 0 ? "answers" : "DOES NOT ANSWER",
                    heap >> 20);
            finish(result);
            return result;
        }
        if (connectionsOnly) {
            // Idle, answering the server's heartbeats; then memory per connection.
            long holdEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(hold);
            while (System.nanoTime() < holdEnd) {
                Thread.sleep(250);
            }
            int open = 0;
            for (SioClient c : all) {
                if (c != null && c.isOpen()) {
                    open++;
                }
            }
            long rss = rss(pids);
            long heap = heap();
            result.put("holdSeconds", hold);
            result.put("openAfterHold", open);
            result.put("disconnects", disconnects.sum());
            result.put("serverRssBytes", rss);
            result.put("serverHeapBytes", heap);
            if (open > 0) {
                result.put("rssPerConnBytes", (rss - rssBefore) / open);
                result.put("heapPerConnBytes", heapBefore < 0 || heap < 0 ? -1 : (heap - heapBefore) / open);
            }
            finish(result);
            return result;
        }

        // Join: client i joins room (i % rooms), a bounded number of joins in flight.
        int[] roomMembers = new int[rooms];
        Semaphore joins = new Semaphore(Math.min(concurrency, fanout ? 20 : 200));
        CountDownLatch joined = new CountDownLatch(clients);
        LongAdder joinErrors = new LongAdder();
        long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(30, clients / 50));
        for (int i = 0; i < clients; i++) {
            SioClient c = all[i];
            long left = joinDeadline - System.nanoTime();
            if (c == null || !c.isOpen() || left <= 0 || !joins.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                joinErrors.increment();
                joined.countDown();
                continue;
            }
            int room = i % rooms;
            c.emit("joinRoom", "{\"roomName\":\"room" + room + "\"}", ack -> {
                joins.release();
                if (ack.contains("\"ok\":true")) {
                    synchronized (roomMembers) {
                        roomMembers[room]++;
                    }
                } else {
                    joinErrors.increment();
                    errorSample("join: " + ack);
                }
                joined.countDown();
            });
        }
        joined.await(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000) + 5_000, TimeUnit.MILLISECONDS);
        result.put("joinErrors", joinErrors.sum() + joined.getCount());
        log("joined (%d errors); letting the join broadcasts settle", joinErrors.sum() + joined.getCount());
        settle(10);

        List<SioClient> members = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            if (all[i] != null && all[i].isOpen()) {
                members.add(all[i]);
            }
        }
        if (members.isEmpty()) {
            throw new IllegalStateException("no client connected and joined");
        }
        if (scenario.equals("saturation")) {
            saturation(result, members, rooms, roomMembers);
            finish(result);
            return result;
        }
        long start = System.nanoTime();
        windowStart = start + TimeUnit.SECONDS.toNanos(warmup);
        windowEnd = windowStart + TimeUnit.SECONDS.toNanos(duration);
        LongAdder sent = new LongAdder();
        if (fanout) {
            int senders = Math.min(intOpt("senders", 10), members.size());
            int window = intOpt("window", 8);
            result.put("senders", senders);
            result.put("window", window);
            senderWindows = new Semaphore[clients];
            List<Thread> threads = new ArrayList<>();
            LongAdder stalls = new LongAdder();
            for (int s = 0; s < senders; s++) {
                SioClient sender = members.get(s * (members.size() / senders));
                Semaphore permits = new Semaphore(window);
                senderWindows[sender.index] = permits;
                int room = sender.index % rooms;
                Thread t = new Thread(
                        () -> {
                            while (running && System.nanoTime() < windowEnd && sender.isOpen()) {
                                try {
                                    if (!permits.tryAcquire(2, TimeUnit.SECONDS)) {
                                        stalls.increment();
                                        permits.release(); // a lost echo must not shrink the window for good
                                        continue;
                                    }
                                } catch (InterruptedException e) {
                                    return;
                                }
                                sendOne(sender, room, roomMembers[room], sent);
                            }
                        },
                        "sender-" + s);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.NANOSECONDS.toMillis(windowEnd - System.nanoTime()) + 5_000);
            }
            result.put("stalls", stalls.sum());
        } else {
            result.put("targetRate", rate);
            sendAtRate(members, rooms, roomMembers, rate, start, sent);
        }
        running = false;
        // Drain: until deliveries stop for a second, at most 10 s.
        settle(10);
        Histogram histogram = recorder.getIntervalHistogram();
        double window = (windowEnd - windowStart) / 1e9;
        result.put("durationSeconds", round(window));
        // Wall-clock bounds of the measured window, so per-stage events recorded by the servers can be cut to it.
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        result.put("windowStartMillis", nowMillis - (nowNanos - windowStart) / 1_000_000);
        result.put("windowEndMillis", nowMillis - (nowNanos - windowEnd) / 1_000_000);
        result.put("sentInWindow", sent.sum());
        result.put("sendRate", round(sent.sum() / window));
        result.put("delivered", delivered.sum());
        result.put("expectedDeliveries", expected.sum());
        result.put("deliveredPerSec", round(delivered.sum() / window));
        result.put("lost", Math.max(0, expected.sum() - delivered.sum()));
        result.put("acked", acked.sum());
        result.put("unacked", Math.max(0, sent.sum() - acked.sum() - sendErrors.sum()));
        result.put("sendErrors", sendErrors.sum());
        result.put("disconnects", disconnects.sum());
        ObjectNode latency = result.putObject("latencyMs");
        latency.put("samples", histogram.getTotalCount());
        latency.put("mean", ms(histogram.getMean()));
        latency.put("p50", ms(histogram.getValueAtPercentile(50)));
        latency.put("p90", ms(histogram.getValueAtPercentile(90)));
        latency.put("p99", ms(histogram.getValueAtPercentile(99)));
        latency.put("p999", ms(histogram.getValueAtPercentile(99.9)));
        latency.put("max", ms(histogram.getMaxValue()));
        ArrayNode curve = result.putArray("percentileCurve");
        for (double p : PERCENTILES) {
            curve.addArray().add(p).add(ms(histogram.getValueAtPercentile(p)));
        }
        result.put("serverRssBytes", rss(pids));
        result.put("serverHeapBytes", heap());
        finish(result);
        return result;
    }

    /** Sends round-robin over {@code members} at {@code rate} per second from {@code start} until the window ends. */
    private void sendAtRate(
            List<SioClient> members, int rooms, int[] roomMembers, int rate, long start, LongAdder sent) {
        long seq = 0;
        int n = members.size();
        while (System.nanoTime() < windowEnd) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
            int burst = 0;
            while (seq < due && burst++ < 2_000) {
                SioClient c = members.get((int) (seq++ % n));
                if (c.isOpen()) {
                    int room = c.index % rooms;
                    sendOne(c, room, roomMembers[room], sent);
                }
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /**
     * Raises the offered rate step by step on the same connections ({@code --rates 250,500,...}, each step
     * {@code --step-warmup} s unmeasured then {@code --step-duration} s measured, then drained) and reports the
     * highest rate whose p99 stayed within {@code --p99-limit-ms} (50) with every send acked and every delivery
     * made. Stops after the first step that misses.
     */
    private void saturation(ObjectNode result, List<SioClient> members, int rooms, int[] roomMembers)
            throws InterruptedException {
        double limitMs = Double.parseDouble(opts.getOrDefault("p99-limit-ms", "50"));
        int stepWarmup = intOpt("step-warmup", 2);
        int stepDuration = intOpt("step-duration", 8);
        List<Integer> rates = new ArrayList<>();
        for (String r : opts.getOrDefault("rates", "250,500,1000,2000,3000,4000,6000,8000,12000,16000")
                .split(",")) {
            rates.add(Integer.parseInt(r.trim()));
        }
        result.put("p99LimitMs", limitMs);
        ArrayNode steps = result.putArray("steps");
        int best = 0;
        ObjectNode bestStep = null;
        for (int rate : rates) {
            delivered.reset();
            expected.reset();
            acked.reset();
            sendErrors.reset();
            recorder.reset();
            LongAdder sent = new LongAdder();
            long start = System.nanoTime();
            windowStart = start + TimeUnit.SECONDS.toNanos(stepWarmup);
            windowEnd = windowStart + TimeUnit.SECONDS.toNanos(stepDuration);
            sendAtRate(members, rooms, roomMembers, rate, start, sent);
            settle(5);
            Histogram h = recorder.getIntervalHistogram();
            ObjectNode step = steps.addObject();
            step.put("rate", rate);
            step.put("sendRate", round(sent.sum() / (double) stepDuration));
            step.put("sent", sent.sum());
            step.put("acked", acked.sum());
            step.put("unacked", Math.max(0, sent.sum() - acked.sum() - sendErrors.sum()));
            step.put("sendErrors", sendErrors.sum());
            step.put("lost", Math.max(0, expected.sum() - delivered.sum()));
            step.put("deliveredPerSec", round(delivered.sum() / (double) stepDuration));
            step.put("p50", ms(h.getValueAtPercentile(50)));
            step.put("p99", ms(h.getValueAtPercentile(99)));
            boolean ok = sent.sum() > 0
                    && acked.sum() == sent.sum()
                    && expected.sum() == delivered.sum()
                    && ms(h.getValueAtPercentile(99)) <= limitMs
                    && disconnects.sum() == 0;
            step.put("ok", ok);
            log(
                    "saturation step %d msg/s: p50 %.2f ms, p99 %.2f ms, %d/%d acked, %d lost -> %s",
                    rate,
                    ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(99)),
                    acked.sum(),
                    sent.sum(),
                    Math.max(0, expected.sum() - delivered.sum()),
                    ok ? "ok" : "missed");
            if (!ok) {
                break;
            }
            best = rate;
            bestStep = step;
        }
        running = false;
        result.put("saturationRate", best);
        if (bestStep != null) {
            result.put("sendRate", bestStep.get("sendRate").asDouble());
            result.put("deliveredPerSec", bestStep.get("deliveredPerSec").asDouble());
            ObjectNode latency = result.putObject("latencyMs");
            latency.put("p50", bestStep.get("p50").asDouble());
            latency.put("p99", bestStep.get("p99").asDouble());
        }
        result.put("sendErrors", sendErrors.sum());
        result.put("disconnects", disconnects.sum());
        result.put("serverHeapBytes", heap());
    }

    private void sendOne(SioClient c, int room, int roomSize, LongAdder sent) {
        long now = System.nanoTime();
        boolean counted = now >= windowStart && now < windowEnd;
        if (counted) {
            sent.increment();
            expected.add(roomSize);
        }
        c.emit(
                "sendMessage",
                "{\"roomName\":\"room" + room + "\",\"message\":\"t:" + now + ":" + c.index + "\"}",
                ack -> {
                    if (!ack.contains("\"ok\":true")) {
                        sendErrors.increment();
                        errorSample("send: " + ack);
                    } else if (counted) {
                        acked.increment();
                    }
                });
    }

    /** Waits until no more deliveries arrive for a second, at most {@code maxSeconds}. */
    private void settle(int maxSeconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        long last = -1;
        while (System.nanoTime() < end) {
            long now = deliveredAll.sum() + eventsSeen.sum();
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(1_000);
        }
    }

    private final LongAdder eventsSeen = new LongAdder();

    private final class Listener implements SioClient.Listener {
        @Override
        public void onEvent(SioClient client, String packet, int arrayStart, long receivedNanos) {
            eventsSeen.increment();
            if (!packet.startsWith("[\"receiveMessage\"", arrayStart)) {
                return;
            }
            int mark = packet.indexOf(MARK, arrayStart);
            if (mark < 0) {
                return; // a join or leave event message
            }
            int from = mark + MARK.length();
            int colon = packet.indexOf(':', from);
            int quote = packet.indexOf('"', colon);
            if (colon < 0 || quote < 0) {
                return;
            }
            long sentAt = Long.parseLong(packet, from, colon, 10);
            deliveredAll.increment();
            if (sentAt >= windowStart && sentAt < windowEnd) {
                delivered.increment();
                recorder.recordValue(Math.max(0, receivedNanos - sentAt));
            }
            Semaphore[] windows = senderWindows;
            if (windows.length > 0) {
                int sender = Integer.parseInt(packet, colon + 1, quote, 10);
                if (sender == client.index && windows[sender] != null) {
                    windows[sender].release();
                }
            }
        }

        @Override
        public void onClosed(SioClient client, String reason) {
            if (running) {
                disconnects.increment();
                errorSample("disconnect: " + reason);
            }
        }
    }

    private void finish(ObjectNode result) {
        ObjectNode samples = result.putObject("errorSamples");
        errorSamples.entrySet().stream()
                .limit(20)
                .forEach(e -> samples.put(e.getKey(), e.getValue().sum()));
        result.put("finishedAt", java.time.Instant.now().toString());
    }

    private void errorSample(String what) {
        String key = what.length() > 160 ? what.substring(0, 160) : what;
        if (errorSamples.size() < 50 || errorSamples.containsKey(key)) {
            errorSamples.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
    }

    private void shutdown() {
        running = false;
        if (sources != null) {
            sources.close();
        }
    }

    /** Sum of the servers' heap used after a GC, as their {@code /bench/memory} reports it; -1 if unknown. */
    private long heap() {
        long sum = 0;
        try {
            for (URI url : benchUrls) {
                sum += JSON.readTree(benchApi.get(url, "/bench/memory"))
                        .path("heapUsed")
                        .asLong();
            }
            return sum;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Sum of the servers' resident set sizes from {@code /proc/<pid>/status}; -1 if unknown. */
    private static long rss(List<Long> pids) {
        if (pids.isEmpty()) {
            return -1;
        }
        long sum = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        String[] parts = line.trim().split("\\s+");
                        sum += Long.parseLong(parts[1]) * 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return sum;
    }

    private static double ms(double nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[loadgen] " + format + "%n", args);
    }
}
