package io.fatechat.benchmarks.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.HdrHistogram.Histogram;

/**
 * The table of {@code scripts/bench/kafka.sh}: per phase, the load generator's end-to-end figures
 * ({@code <phase>.json}) beside the per-stage breakdown the nodes (two, or three) recorded as JFR events of chat-kafka
 * ({@code stages-<phase>-<node>.jfr}): publish queue, {@code producer.send}, broker acknowledgement, transit from
 * publish to each node's poll, wait in the poll batch, and the broadcast listener (engine decode and hand-off to
 * the sockets). The rest of the end-to-end time is the socket layer on both ends and the client.
 *
 * <pre>java -cp benchmarks.jar io.fatechat.benchmarks.kafka.KafkaBenchReport benchmarks/results/kafka</pre>
 */
public final class KafkaBenchReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PHASES = List.of("p100", "p2000", "p10000", "saturation", "storm", "storm1");

    private KafkaBenchReport() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/results/kafka");
        StringBuilder out = new StringBuilder();
        Path nodes = dir.resolve("nodes.txt");
        if (Files.exists(nodes)) {
            out.append("Nodes: ").append(Files.readString(nodes).trim()).append("\n\n");
        }
        out.append(
                "| phase | load (clients / rooms / msg/s) | machine load | p50 ms | p99 ms | max ms | delivered / expected | send errors | joins |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        List<String> phases = new ArrayList<>();
        for (String phase : phaseNames(dir)) {
            Path json = dir.resolve(phase + ".json");
            phases.add(phase);
            JsonNode r = JSON.readTree(json.toFile());
            JsonNode lat = r.path("latencyMs");
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s / %s / %s | %s | %s | %s | %s | %s / %s | %s | %s |%n",
                    phase,
                    r.path("clients").asText("-"),
                    r.path("rooms").asText("-"),
                    r.path("sendRate").asText(r.path("rate").asText("-")),
                    loadAverage(dir, phase),
                    lat.path("p50").asText("-"),
                    lat.path("p99").asText("-"),
                    lat.path("max").asText("-"),
                    r.path("delivered").asText("-"),
                    r.path("expectedDeliveries").asText("-"),
                    r.path("sendErrors").asText("-"),
                    joins(r)));
        }
        Path saturation = dir.resolve("saturation.json");
        if (Files.exists(saturation)) {
            out.append("\nSaturation (highest offered rate with p99 <= 50 ms, every send acked, none lost): ")
                    .append(JSON.readTree(saturation.toFile())
                            .path("saturationRate")
                            .asText())
                    .append(" msg/s\n");
        }
        out.append(
                "\nPer-stage breakdown from the nodes' JFR events (ms, p50 / p99 / max; all nodes together; load phases: the measured window only):\n\n");
        out.append(
                "| phase | publishes | queued | producer.send | broker ack | deliveries | transit publish→poll | batch wait | listener |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (String phase : phases) {
            Map<String, Histogram> h = new LinkedHashMap<>();
            for (String k : List.of("queued", "send", "ack", "transit", "batchWait", "listener")) {
                h.put(k, new Histogram(3_600_000_000_000L, 3));
            }
            long[] counts = new long[2];
            long[] window = window(dir.resolve(phase + ".json"));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("stages-" + phase + "-"))
                        .toList()) {
                    read(f, h, counts, window);
                }
            }
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %s | %s | %d | %s | %s | %s |%n",
                    phase,
                    counts[0],
                    fmt(h.get("queued")),
                    fmt(h.get("send")),
                    fmt(h.get("ack")),
                    counts[1],
                    fmt(h.get("transit")),
                    fmt(h.get("batchWait")),
                    fmt(h.get("listener"))));
        }
        System.out.print(out);
    }

    /** The phases present, in the order the script runs them; saturation steps by rate. */
    private static List<String> phaseNames(Path dir) throws IOException {
        List<String> steps;
        try (Stream<Path> files = Files.list(dir)) {
            steps = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("saturation-\\d+\\.json"))
                    .map(n -> n.substring(0, n.length() - 5))
                    .sorted(java.util.Comparator.comparingInt(
                            n -> Integer.parseInt(n.substring("saturation-".length()))))
                    .toList();
        }
        List<String> names = new ArrayList<>();
        for (String phase : PHASES) {
            if (phase.equals("saturation")) {
                names.addAll(steps);
            } else if (Files.exists(dir.resolve(phase + ".json"))) {
                names.add(phase);
            }
        }
        return names;
    }

    /** The 1-minute load average when the phase started ({@code <phase>.load}, written by the script). */
    private static String loadAverage(Path dir, String phase) throws IOException {
        Path f = dir.resolve(phase + ".load");
        return Files.exists(f) ? Files.readString(f).trim() : "-";
    }

    private static String joins(JsonNode r) {
        if (r.has("joinSeconds")) {
            return String.format(
                    Locale.ROOT,
                    "%s joined in %s s, %s errors, %s onlineUsers/client",
                    r.path("joined").asText(),
                    r.path("joinSeconds").asText(),
                    r.path("joinErrors").asText(),
                    r.path("onlineUsersPerClient").asText("-"));
        }
        return r.path("joinErrors").asText("-") + " errors";
    }

    /**
     * The measured window of a load phase (epoch millis, from the generator's {@code windowStartMillis} and
     * {@code windowEndMillis}): stage events outside it (connects, joins, warm-up, drain) are left out. A join
     * storm has no such window: all its events count.
     */
    private static long[] window(Path json) throws IOException {
        JsonNode r = JSON.readTree(json.toFile());
        if (r.has("windowStartMillis") && r.has("windowEndMillis")) {
            return new long[] {
                r.path("windowStartMillis").asLong(), r.path("windowEndMillis").asLong()
            };
        }
        return new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
    }

    private static void read(Path file, Map<String, Histogram> h, long[] counts, long[] window) throws IOException {
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                long at = e.getStartTime().toEpochMilli();
                if (at < window[0] || at > window[1]) {
                    continue;
                }
                switch (e.getEventType().getName()) {
                    case "io.fatechat.kafka.Publish" -> {
                        counts[0]++;
                        record(h.get("queued"), e.getLong("queued"));
                        record(h.get("send"), e.getLong("send"));
                        record(h.get("ack"), e.getLong("ack"));
                    }
                    case "io.fatechat.kafka.Consume" -> {
                        counts[1]++;
                        record(h.get("transit"), e.getLong("transit"));
                        record(h.get("batchWait"), e.getLong("batchWait"));
                        record(h.get("listener"), e.getLong("listener"));
                    }
                    default -> {}
                }
            }
        }
    }

    private static void record(Histogram h, long nanos) {
        if (nanos >= 0) {
            h.recordValue(Math.min(nanos, h.getHighestTrackableValue()));
        }
    }

    private static String fmt(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "-";
        }
        return String.format(
                Locale.ROOT,
                "%.2f / %.2f / %.1f",
                h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6);
    }
}
