package io.fatechat.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Redis of the integration tests ({@link TestServices#redisUrl()}: FATECHAT_TEST_REDIS_URL, a container where Docker
 * is, or the local Redis) with a key prefix no other run uses, a plain connection to look at what a store wrote, and
 * every key under the prefix deleted at the end. Modelled on Jdbi's {@code JdbiExtension}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisExtension REDIS = RedisExtension.withPrefix("presence");
 * ... RedisConfig.builder().uri(REDIS.url()).keyPrefix(REDIS.keyPrefix()) ...
 * ... REDIS.commands().keys(REDIS.keyPrefix() + "*") ...
 * }</pre>
 *
 * A {@code static} field serves the whole class (one prefix, cleaned after the last test); an instance field serves
 * each test alone (a fresh prefix, cleaned after each test). Nothing outside the prefix is touched: other test runs
 * may share the database.
 */
public final class RedisExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final String purpose;
    private String url;
    private String keyPrefix;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private boolean perClass;

    private RedisExtension(String purpose) {
        this.purpose = Objects.requireNonNull(purpose, "purpose");
    }

    /**
     * An extension whose prefixes read {@code fatechat-it:<purpose>-<random>:}, e.g. {@code fatechat-it:presence-1a2b3c4d:}.
     */
    public static RedisExtension withPrefix(String purpose) {
        return new RedisExtension(purpose);
    }

    /** A key prefix unique to this run and purpose, for a test that needs a second one. */
    public static String uniquePrefix(String purpose) {
        return "fatechat-it:" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The Redis URL, e.g. {@code redis://127.0.0.1:6379/5}. */
    public String url() {
        return requireStarted(url);
    }

    /** The key prefix of this class (static field) or test (instance field). */
    public String keyPrefix() {
        return requireStarted(keyPrefix);
    }

    /** A plain synchronous connection, to read or plant keys beside the code under test. */
    public RedisCommands<String, String> commands() {
        return requireStarted(connection).sync();
    }

    private void start() {
        url = TestServices.redisUrl();
        keyPrefix = uniquePrefix(purpose);
        client = RedisClient.create(url);
        client.setDefaultTimeout(Duration.ofSeconds(10));
        connection = client.connect();
    }

    private void stop() {
        if (client == null) {
            return;
        }
        try {
            deleteKeysUnderPrefix();
        } finally {
            connection.close();
            client.shutdown(0, 2, TimeUnit.SECONDS);
            client = null;
            connection = null;
        }
    }

    private void deleteKeysUnderPrefix() {
        RedisCommands<String, String> redis = connection.sync();
        List<String> keys = new ArrayList<>();
        // SCAN, not KEYS: the database may be shared with other runs and hold many keys
        ScanIterator.scan(redis, ScanArgs.Builder.matches(keyPrefix + "*").limit(500))
                .forEachRemaining(keys::add);
        for (int from = 0; from < keys.size(); from += 500) {
            redis.del(keys.subList(from, Math.min(keys.size(), from + 500)).toArray(String[]::new));
        }
    }

    private <T> T requireStarted(T value) {
        if (value == null) {
            throw new IllegalStateException(
                    "RedisExtension is used outside a test: register it with @RegisterExtension");
        }
        return value;
    }
}
