package io.fatechat.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Node.js scenario of {@code chat-jakarta-ws/src/test/node} (the stock npm socket.io-client, installed there by
 * that module's {@code mvn verify}) and hands back what it printed. A scenario may pause: it prints a line
 * {@code {"paused":"<name>",...}} and waits; the test's action for that name runs with the line (e.g. kills a node,
 * or waits for history), then the scenario is told to go on by a line on its stdin. An action that throws stops the
 * scenario, and {@link #run} throws what it threw.
 */
public final class NodeScenario {

    private static final Pattern PAUSED = Pattern.compile("^\\{\"paused\":\"([^\"]+)\"");

    /** What the scenario printed: its exit code (null when it did not exit in time), stdout lines and stderr. */
    public record Result(Integer exitCode, List<String> lines, String stderr) {

        /** The last line printed: the scenario's JSON result. */
        public String lastLine() {
            return lines.isEmpty() ? "{}" : lines.get(lines.size() - 1);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "; stdout: " + String.join("\n", lines) + "; stderr: " + stderr;
        }
    }

    private NodeScenario() {}

    /**
     * The scenario folder of chat-jakarta-ws seen from {@code moduleDir} (a module of this build), checked to hold
     * the installed npm client.
     */
    public static Path directory(Path moduleDir) {
        Path dir = moduleDir.toAbsolutePath().normalize();
        Path scenarios = dir.getFileName().toString().equals("chat-jakarta-ws")
                ? dir.resolve("src/test/node")
                : dir.resolveSibling("chat-jakarta-ws").resolve("src/test/node");
        if (!Files.isRegularFile(scenarios.resolve("node_modules/socket.io-client/package.json"))) {
            throw new IllegalStateException("The npm socket.io-client is not installed in " + scenarios
                    + ": chat-jakarta-ws's mvn verify runs npm install there before its integration tests");
        }
        return scenarios;
    }

    /**
     * Runs {@code script} of {@code directory} with {@code config} (JSON) as its argument, calling the action of
     * each pause it reaches, and waits at most {@code timeout} for it to end.
     */
    public static Result run(
            Path directory, String script, String config, Map<String, Consumer<String>> pauses, Duration timeout)
            throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("node-scenario", ".err");
        try {
            String node = System.getenv().getOrDefault("FATECHAT_NODE", "node");
            Process process = new ProcessBuilder(node, script, config)
                    .directory(directory.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            List<String> lines = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread reader = new Thread(
                    () -> {
                        try {
                            readLines(process, pauses, lines);
                        } catch (RuntimeException | Error e) {
                            failed.set(e);
                            process.destroyForcibly();
                        }
                    },
                    "node-scenario-" + script);
            reader.setDaemon(true);
            reader.start();
            boolean exited;
            try {
                exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            // a pause's action failed (e.g. an assertion): the scenario was stopped
            if (failed.get() instanceof Error error) {
                throw error;
            }
            if (failed.get() instanceof RuntimeException e) {
                throw e;
            }
            return new Result(
                    exited ? process.exitValue() : null,
                    List.copyOf(lines),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private static void readLines(Process process, Map<String, Consumer<String>> pauses, List<String> lines) {
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = process.getOutputStream()) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                Matcher paused = PAUSED.matcher(line);
                if (paused.find()) {
                    Consumer<String> action = pauses.get(paused.group(1));
                    if (action == null) {
                        throw new IllegalStateException(
                                "The scenario paused at '" + paused.group(1) + "', which the test has no action for");
                    }
                    action.accept(line);
                    in.write('\n');
                    in.flush();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
