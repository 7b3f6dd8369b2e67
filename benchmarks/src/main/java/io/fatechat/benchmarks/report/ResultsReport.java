package io.fatechat.benchmarks.report;

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
import java.util.function.Function;

/**
 * Turns the load generator's {@code <scenario>-<label>.json} files (labels ours, plain: the plain-Java example,
 * peer) into the side-by-side table (stdout, CSV,
 * Markdown), one SVG latency-percentile plot per scenario, and the results section of a README between
 * {@code <!-- results:begin -->} and {@code <!-- results:end -->}.
 *
 * <pre>java -cp benchmarks.jar io.fatechat.benchmarks.report.ResultsReport benchmarks/results [benchmarks/README.md]</pre>
 */
public final class ResultsReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SCENARIOS =
            List.of("latency", "saturation", "fanout", "connections", "refused", "kafka");
    private static final String BEGIN = "<!-- results:begin -->";
    private static final String END = "<!-- results:end -->";

    /** One row of the table: how to read it from a result, and which direction is better. */
    private record Metric(String name, boolean higherIsBetter, Function<JsonNode, Double> value) {}

    private static final List<Metric> MESSAGE_METRICS = List.of(
            new Metric("latency p50 (ms)", false, r -> num(r.path("latencyMs").path("p50"))),
            new Metric("latency p90 (ms)", false, r -> num(r.path("latencyMs").path("p90"))),
            new Metric("latency p99 (ms)", false, r -> num(r.path("latencyMs").path("p99"))),
            new Metric("latency p99.9 (ms)", false, r -> num(r.path("latencyMs").path("p999"))),
            new Metric("sent msg/s", true, r -> num(r.path("sendRate"))),
            new Metric("delivered msg/s", true, r -> num(r.path("deliveredPerSec"))),
            new Metric("sends acked", true, r -> num(r.path("acked"))),
            new Metric("sends never acked", false, r -> num(r.path("unacked"))),
            new Metric("connection setups/s", true, r -> num(r.path("connectsPerSec"))),
            new Metric(
                    "errors (connect+join+send+disconnect+lost)",
                    false,
                    r -> num(r.path("connectErrors"))
                            + num(r.path("joinErrors"))
                            + num(r.path("sendErrors"))
                            + num(r.path("disconnects"))
                            + num(r.path("lost"))),
            new Metric("server RSS (MiB)", false, r -> mib(r.path("serverRssBytes"))),
            new Metric("server heap after GC (MiB)", false, r -> mib(r.path("serverHeapBytes"))));

    private static final List<Metric> CONNECTION_METRICS = List.of(
            new Metric("connections open after hold", true, r -> num(r.path("openAfterHold"))),
            new Metric("connection setups/s", true, r -> num(r.path("connectsPerSec"))),
            new Metric("heap per connection (KiB)", false, r -> kib(r.path("heapPerConnBytes"))),
            new Metric("RSS per connection (KiB)", false, r -> kib(r.path("rssPerConnBytes"))),
            new Metric(
                    "errors (connect+disconnect)",
                    false,
                    r -> num(r.path("connectErrors")) + num(r.path("disconnects"))),
            new Metric("server RSS (MiB)", false, r -> mib(r.path("serverRssBytes"))),
            new Metric("server heap after GC (MiB)", false, r -> mib(r.path("serverHeapBytes"))));

    private static final List<Metric> SATURATION_METRICS = List.of(
            new Metric("highest rate with p99 ≤ limit, all acked (msg/s)", true, r -> num(r.path("saturationRate"))),
            new Metric(
                    "latency p50 at that rate (ms)",
                    false,
                    r -> num(r.path("latencyMs").path("p50"))),
            new Metric(
                    "latency p99 at that rate (ms)",
                    false,
                    r -> num(r.path("latencyMs").path("p99"))),
            new Metric("delivered msg/s at that rate", true, r -> num(r.path("deliveredPerSec"))),
            new Metric("connection setups/s", true, r -> num(r.path("connectsPerSec"))),
            new Metric("server heap after GC (MiB)", false, r -> mib(r.path("serverHeapBytes"))));

    private static final List<Metric> REFUSED_METRICS = List.of(
            new Metric("CONNECTs refused", true, r -> num(r.path("refused"))),
            new Metric("other connect errors", false, r -> num(r.path("otherConnectErrors"))),
            new Metric(
                    "server answers afterwards (1 = yes)",
                    true,
                    r -> r.path("serverHealthy").asBoolean() ? 1.0 : 0.0),
            new Metric("server RSS (MiB)", false, r -> mib(r.path("serverRssBytes"))),
            new Metric("server heap after GC (MiB)", false, r -> mib(r.path("serverHeapBytes"))));

    private ResultsReport() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        Path readme = args.length > 1 ? Path.of(args[1]) : null;
        StringBuilder markdown = new StringBuilder();
        StringBuilder csv = new StringBuilder("scenario,metric,ours,peer,ratio_ours_over_peer,better,plain\n");
        StringBuilder console = new StringBuilder();
        for (String scenario : SCENARIOS) {
            JsonNode ours = read(dir.resolve(scenario + "-ours.json"));
            JsonNode peer = read(dir.resolve(scenario + "-peer.json"));
            JsonNode plain = read(dir.resolve(scenario + "-plain.json"));
            if (ours == null && peer == null && plain == null) {
                continue;
            }
            JsonNode any = ours != null ? ours : plain != null ? plain : peer;
            Path load = dir.resolve(scenario + "-load.txt");
            String machine = Files.exists(load) ? Files.readString(load).trim() : "";
            markdown.append("### ")
                    .append(scenario)
                    .append("\n\n")
                    .append(describe(any))
                    .append("\n\n")
                    .append(machine.isEmpty() ? "" : "Machine: " + machine + "\n\n")
                    .append("| metric | ours | plain-Java example | peer | ours / peer |\n|---|---:|---:|---:|---:|\n");
            console.append(String.format(
                    Locale.ROOT,
                    "%n== %s: %s%n%-44s %12s %12s %12s %10s%n",
                    scenario,
                    describe(any),
                    "metric",
                    "ours",
                    "plain",
                    "peer",
                    "ratio"));
            List<Metric> metrics =
                    switch (scenario) {
                        case "connections" -> CONNECTION_METRICS;
                        case "saturation" -> SATURATION_METRICS;
                        case "refused" -> REFUSED_METRICS;
                        default -> MESSAGE_METRICS;
                    };
            for (Metric m : metrics) {
                Double o = ours == null ? null : m.value().apply(ours);
                Double p = peer == null ? null : m.value().apply(peer);
                Double pl = plain == null ? null : m.value().apply(plain);
                String ratio = o != null && p != null && p != 0 && o >= 0 && p > 0 ? fmt(o / p) + "x" : "—";
                markdown.append("| ")
                        .append(m.name())
                        .append(m.higherIsBetter() ? " ↑" : " ↓")
                        .append(" | ")
                        .append(fmtOrDash(o))
                        .append(" | ")
                        .append(fmtOrDash(pl))
                        .append(" | ")
                        .append(fmtOrDash(p))
                        .append(" | ")
                        .append(ratio)
                        .append(" |\n");
                csv.append(scenario)
                        .append(",\"")
                        .append(m.name())
                        .append("\",")
                        .append(o == null ? "" : fmt(o))
                        .append(',')
                        .append(p == null ? "" : fmt(p))
                        .append(',')
                        .append(ratio.equals("—") ? "" : ratio.substring(0, ratio.length() - 1))
                        .append(',')
                        .append(m.higherIsBetter() ? "higher" : "lower")
                        .append(',')
                        .append(pl == null ? "" : fmt(pl))
                        .append('\n');
                console.append(String.format(
                        Locale.ROOT,
                        "%-44s %12s %12s %12s %10s%n",
                        m.name(),
                        fmtOrDash(o),
                        fmtOrDash(pl),
                        fmtOrDash(p),
                        ratio));
            }
            if (scenario.equals("saturation")) {
                markdown.append('\n')
                        .append(steps("ours", ours))
                        .append(steps("plain", plain))
                        .append(steps("peer", peer));
            } else if (!scenario.equals("connections") && !scenario.equals("refused")) {
                Path svg = dir.resolve(scenario + "-latency.svg");
                Files.writeString(svg, plot(scenario, ours, plain, peer));
                markdown.append("\n![")
                        .append(scenario)
                        .append(" latency percentiles](results/")
                        .append(svg.getFileName())
                        .append(")\n");
            }
            markdown.append('\n');
        }
        Files.writeString(dir.resolve("results.csv"), csv.toString());
        Files.writeString(dir.resolve("results.md"), markdown.toString());
        System.out.print(console);
        if (readme != null && Files.exists(readme)) {
            String text = Files.readString(readme);
            int b = text.indexOf(BEGIN);
            int e = text.indexOf(END);
            if (b >= 0 && e > b) {
                Files.writeString(readme, text.substring(0, b + BEGIN.length()) + "\n" + markdown + text.substring(e));
                System.out.println("\nupdated " + readme);
            }
        }
    }

    /** The steps of a saturation run, one line. */
    private static String steps(String label, JsonNode r) {
        if (r == null || !r.has("steps")) {
            return "";
        }
        StringBuilder s = new StringBuilder("Steps, ").append(label).append(": ");
        r.path("steps").forEach(step -> s.append(step.path("rate").asInt())
                .append(" msg/s → p99 ")
                .append(fmt(num(step.path("p99"))))
                .append(" ms, ")
                .append(step.path("unacked").asLong())
                .append(" unacked, ")
                .append(step.path("lost").asLong())
                .append(" lost")
                .append(step.path("ok").asBoolean() ? " ✓" : " ✗")
                .append("; "));
        return s.append("\n\n").toString();
    }

    private static String describe(JsonNode r) {
        StringBuilder s = new StringBuilder();
        s.append(r.path("clients").asInt()).append(" clients");
        if ("refused".equals(r.path("scenario").asText())) {
            s.append(" with a bad token, each sending one CONNECT");
        } else if (!"connections".equals(r.path("scenario").asText())) {
            s.append(", ").append(r.path("rooms").asInt()).append(" room(s)");
            if (r.has("targetRate")) {
                s.append(", target ").append(r.path("targetRate").asInt()).append(" msg/s");
            }
            if (r.has("steps")) {
                s.append(", rate raised step by step until p99 > ")
                        .append(fmt(num(r.path("p99LimitMs"))))
                        .append(" ms or a send goes unacked");
            }
            if (r.has("senders")) {
                s.append(", ")
                        .append(r.path("senders").asInt())
                        .append(" senders × window ")
                        .append(r.path("window").asInt());
            }
            if (r.has("durationSeconds")) {
                s.append(", ").append(fmt(num(r.path("durationSeconds")))).append(" s measured");
            }
        } else {
            s.append(", held ").append(r.path("holdSeconds").asInt()).append(" s");
        }
        s.append(" (").append(r.path("finishedAt").asText()).append(')');
        return s.toString();
    }

    /** Latency by percentile on HdrHistogram's usual log axis: x = 1 / (1 - percentile). */
    static String plot(String scenario, JsonNode ours, JsonNode plain, JsonNode peer) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        if (ours != null) {
            series.put("ours", curve(ours));
        }
        if (plain != null) {
            series.put("plain", curve(plain));
        }
        if (peer != null) {
            series.put("peer", curve(peer));
        }
        double maxMs = 0.001;
        for (List<double[]> points : series.values()) {
            for (double[] p : points) {
                maxMs = Math.max(maxMs, p[1]);
            }
        }
        double top = niceCeiling(maxMs);
        int w = 720;
        int h = 420;
        int left = 70;
        int right = 20;
        int topPad = 40;
        int bottom = 60;
        double maxX = Math.log10(1e4); // up to 99.99%
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(w)
                .append("\" height=\"")
                .append(h)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
                .append("<text x=\"")
                .append(w / 2)
                .append("\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">")
                .append(scenario)
                .append(": delivery latency by percentile</text>\n");
        double plotW = w - left - right;
        double plotH = h - topPad - bottom;
        for (int i = 0; i <= 5; i++) {
            double v = top * i / 5;
            double y = topPad + plotH - plotH * i / 5;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    left,
                    y,
                    w - right,
                    y,
                    left - 6,
                    y + 4,
                    fmt(v)));
        }
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int i = 0; i <= 4; i++) {
            double x = left + plotW * i / maxX;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                    x,
                    topPad,
                    x,
                    topPad + plotH,
                    x,
                    topPad + plotH + 18,
                    labels[i]));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n"
                        + "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">ms</text>%n",
                left + (int) plotW / 2,
                h - 20,
                topPad + (int) plotH / 2,
                topPad + (int) plotH / 2));
        Map<String, String> colors = Map.of("ours", "#1f6feb", "plain", "#2da44e", "peer", "#d73a49");
        int c = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            StringBuilder path = new StringBuilder();
            for (double[] p : e.getValue()) {
                if (p[0] >= 100) {
                    continue;
                }
                double x = left + plotW * Math.min(maxX, Math.log10(1 / (1 - p[0] / 100))) / maxX;
                double y = topPad + plotH - plotH * Math.min(1, p[1] / top);
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
            }
            svg.append("<path d=\"")
                    .append(path)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(colors.get(e.getKey()))
                    .append("\" stroke-width=\"2\"/>\n");
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"3\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
                    left + 10,
                    topPad + 10 + c * 18,
                    colors.get(e.getKey()),
                    left + 30,
                    topPad + 15 + c * 18,
                    e.getKey()));
            c++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static List<double[]> curve(JsonNode r) {
        List<double[]> points = new ArrayList<>();
        r.path("percentileCurve")
                .forEach(p ->
                        points.add(new double[] {p.get(0).asDouble(), p.get(1).asDouble()}));
        return points;
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static JsonNode read(Path file) throws IOException {
        return Files.exists(file) ? JSON.readTree(file.toFile()) : null;
    }

    private static double num(JsonNode n) {
        return n.isNumber() ? n.asDouble() : 0;
    }

    private static Double mib(JsonNode n) {
        return n.isNumber() && n.asLong() >= 0 ? n.asDouble() / (1 << 20) : null;
    }

    private static Double kib(JsonNode n) {
        return n.isNumber() ? n.asDouble() / 1024 : null;
    }

    private static String fmtOrDash(Double v) {
        return v == null ? "—" : fmt(v);
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
