package io.fatechat.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pass/fail of a smoke run ({@code run.sh all --smoke}): correctness only, never speed. Every client
 * connected, every scenario delivered, no send refused, no client dropped, (almost) nothing lost.
 */
public final class SmokeCheck {

    private SmokeCheck() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/target/smoke-results");
        ObjectMapper json = new ObjectMapper();
        List<String> problems = new ArrayList<>();
        int files = 0;
        try (DirectoryStream<Path> results = Files.newDirectoryStream(dir, "*-*.json")) {
            for (Path file : results) {
                files++;
                JsonNode r = json.readTree(file.toFile());
                String name = file.getFileName().toString();
                if ("refused".equals(r.path("scenario").asText())) {
                    if (r.path("refused").asInt() != r.path("clients").asInt()
                            || !r.path("serverHealthy").asBoolean()) {
                        problems.add(name + ": refused " + r.path("refused").asInt() + " of "
                                + r.path("clients").asInt() + ", server healthy "
                                + r.path("serverHealthy").asBoolean() + " " + r.path("errorSamples"));
                    }
                    continue;
                }
                if (r.path("connected").asInt() != r.path("clients").asInt()) {
                    problems.add(name + ": connected " + r.path("connected").asInt() + " of "
                            + r.path("clients").asInt());
                }
                if (r.path("disconnects").asLong() > 0) {
                    problems.add(name + ": " + r.path("disconnects").asLong() + " clients dropped");
                }
                if ("connections".equals(r.path("scenario").asText())) {
                    continue;
                }
                if ("saturation".equals(r.path("scenario").asText())) {
                    JsonNode first = r.path("steps").path(0);
                    if (first.path("acked").asLong() == 0
                            || first.path("deliveredPerSec").asDouble() == 0) {
                        problems.add(name + ": the first saturation step delivered or acked nothing " + first);
                    }
                    continue;
                }
                long expected = r.path("expectedDeliveries").asLong();
                if (r.path("delivered").asLong() == 0) {
                    problems.add(name + ": nothing delivered");
                }
                if (r.path("joinErrors").asLong() + r.path("sendErrors").asLong() > 0) {
                    problems.add(name + ": " + r.path("joinErrors").asLong() + " join and "
                            + r.path("sendErrors").asLong() + " send errors " + r.path("errorSamples"));
                }
                if (r.path("lost").asLong() > expected / 100) {
                    problems.add(name + ": lost " + r.path("lost").asLong() + " of " + expected + " deliveries");
                }
            }
        }
        if (files == 0) {
            problems.add("no results in " + dir);
        }
        if (problems.isEmpty()) {
            System.out.println("smoke: OK (" + files + " result files)");
            return;
        }
        problems.forEach(p -> System.err.println("smoke: " + p));
        System.exit(1);
    }
}
