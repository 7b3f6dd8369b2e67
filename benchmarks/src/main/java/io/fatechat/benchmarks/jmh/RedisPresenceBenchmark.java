package io.fatechat.benchmarks.jmh;

import io.fatechat.redis.RedisConfig;
import io.fatechat.redis.RedisPresenceStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link RedisPresenceStore} against the real Redis at {@code FATECHAT_TEST_REDIS_URL} (default 127.0.0.1:6379), under
 * a key prefix of its own that is removed afterwards: a join (Lua-atomic), and the online users of a room of 100.
 */
@State(Scope.Benchmark)
public class RedisPresenceBenchmark extends SampledBenchmark {

    private static final String NODE = "jmh-node";
    private RedisPresenceStore store;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() {
        String uri = System.getenv().getOrDefault("FATECHAT_TEST_REDIS_URL", RedisConfig.DEFAULT_URI);
        store = new RedisPresenceStore(RedisConfig.builder()
                .uri(uri)
                .keyPrefix("fatechat-jmh-" + UUID.randomUUID().toString().substring(0, 8) + ":")
                .build());
        store.renewLease(NODE, Duration.ofMinutes(5));
        for (int i = 0; i < 100; i++) {
            store.join(NODE, "read-" + i, "u" + i + "@bench.local", "read-room");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (store != null) {
            store.removeNode(NODE);
            store.close();
        }
    }

    @Benchmark
    public long join() {
        long n = sequence++;
        // 1,000 rooms of growing membership; removeNode cleans them all up.
        store.join(NODE, "c" + n, "u" + (n % 5_000) + "@bench.local", "room-" + (n % 1_000));
        return n;
    }

    @Benchmark
    public List<String> onlineUsers() {
        return store.onlineUsers("read-room");
    }
}
