package io.fatechat.benchmarks.load;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** The {@code --name value}, {@code --name=value} and bare {@code --flag} options of the bench programs. */
public final class CommandLine {

    private CommandLine() {}

    /** Option name -> value ({@code "true"} for a bare flag). @throws IllegalArgumentException for a stray word */
    public static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException(
                        "expected --option, got " + args[i] + " in " + Arrays.toString(args));
            }
            String key = args[i].substring(2);
            int eq = key.indexOf('=');
            if (eq > 0) {
                out.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                out.put(key, args[++i]);
            } else {
                out.put(key, "true");
            }
        }
        return out;
    }
}
