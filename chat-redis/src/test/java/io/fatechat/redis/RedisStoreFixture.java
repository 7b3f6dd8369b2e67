package io.fatechat.redis;

import io.fatechat.testing.RedisExtension;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every Redis store test starts from: the {@link RedisExtension}'s Redis and key prefix (so its clean-up
 * covers what the stores write), a {@link RedisConfig} on them, and a plain connection to look at the keys.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisStoreFixture REDIS = RedisStoreFixture.withPrefix("throttle");
 * ... new RedisThrottleStore(REDIS.config()) ... REDIS.commands().pttl(REDIS.keyPrefix() + "throttle:k") ...
 * }</pre>
 *
 * Like the extension it wraps, a {@code static} field serves the whole class and an instance field each test.
 */
final class RedisStoreFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final RedisExtension redis;
    private final UnaryOperator<RedisConfig.Builder> settings;
    private RedisConfig config;
    private boolean perClass;

    private RedisStoreFixture(String purpose, UnaryOperator<RedisConfig.Builder> settings) {
        this.redis = RedisExtension.withPrefix(purpose);
        this.settings = settings;
    }

    /** Keys under {@code fatechat-it:<purpose>-<random>:}, every other setting the default. */
    static RedisStoreFixture withPrefix(String purpose) {
        return new RedisStoreFixture(purpose, UnaryOperator.identity());
    }

    /** As {@link #withPrefix(String)}, with the test's own settings on top (lease TTL, cache size ...). */
    static RedisStoreFixture withPrefix(String purpose, UnaryOperator<RedisConfig.Builder> settings) {
        return new RedisStoreFixture(purpose, settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        redis.beforeAll(context);
        configure();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        redis.beforeEach(context);
        if (!perClass) {
            configure();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        redis.afterEach(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        redis.afterAll(context);
    }

    private void configure() {
        config = settings.apply(RedisConfig.builder().uri(redis.url()).keyPrefix(redis.keyPrefix()))
                .build();
    }

    /** The stores' config: this fixture's Redis and prefix and the test's settings. */
    RedisConfig config() {
        if (config == null) {
            throw new IllegalStateException(
                    "RedisStoreFixture is used outside a test: register it with @RegisterExtension");
        }
        return config;
    }

    /** A config on a port nothing listens on (1), under this prefix: its stores start and every call fails fast. */
    RedisConfig unreachableConfig() {
        return RedisConfig.builder()
                .uri("redis://127.0.0.1:1")
                .keyPrefix(keyPrefix())
                .connectTimeout(Duration.ofMillis(500))
                .build();
    }

    String keyPrefix() {
        return redis.keyPrefix();
    }

    /** A plain synchronous connection, to read or plant keys beside the store under test. */
    RedisCommands<String, String> commands() {
        return redis.commands();
    }
}
