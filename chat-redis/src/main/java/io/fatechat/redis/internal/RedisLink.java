package io.fatechat.redis.internal;

import io.fatechat.redis.RedisConfig;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.support.Completions;
import io.fatechat.spi.support.OutageLog;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lettuce connection with the behaviour every Fatechat Redis component needs: commands time out after
 * {@link RedisConfig#commandTimeout()}; while disconnected they fail at once instead of queueing
 * ({@code REJECT_COMMANDS}); lettuce reconnects by itself with a back-off capped at
 * {@link RedisConfig#reconnectDelayMax()}; a first connect that fails is retried lazily, at most once a second,
 * so that a node can start while Redis is down. Every failure surfaces as {@link BackendUnavailableException}
 * and goes through the component's {@link OutageLog}.
 */
public final class RedisLink implements AutoCloseable {

    /**
     * A lettuce future completes by itself within the command timeout; this margin on top only guards against a
     * future that never completes (it must never hang a caller).
     */
    private static final Duration AWAIT_MARGIN = Duration.ofMillis(500);

    private static final long CONNECT_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** After a failure, calls fail at once for this long before one is let through to probe Redis again. */
    private static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final RedisConfig config;
    private final String component;
    private final OutageLog outage;
    private final ClientResources resources;
    private final RedisClient client;
    private final ReentrantLock connectLock = new ReentrantLock();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile long nextConnectNanos;
    private volatile Throwable lastConnectFailure;
    private volatile boolean closed;
    private volatile long nextProbeNanos;

    /**
     * @param component names the owner in {@link ClosedException}s, e.g. {@code RedisPresenceStore}
     */
    public RedisLink(RedisConfig config, String component, OutageLog outage) {
        this.config = config;
        this.component = component;
        this.outage = outage;
        // Two small pools: the connection multiplexes everything, and the machine is shared with the host.
        DefaultClientResources.Builder resourcesBuilder = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(50), config.reconnectDelayMax(), 2, TimeUnit.MILLISECONDS));
        if (config.commandLatencyRecorder() != null) {
            resourcesBuilder.commandLatencyRecorder(config.commandLatencyRecorder());
        }
        this.resources = resourcesBuilder.build();
        RedisURI uri = RedisURI.create(config.uri());
        uri.setTimeout(config.commandTimeout());
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(config.connectTimeout())
                        .keepAlive(true)
                        .build())
                .build());
        try {
            connection();
        } catch (BackendUnavailableException e) {
            // logged by the outage log; the next call tries again
        }
    }

    /**
     * The async API of the live connection.
     *
     * @throws BackendUnavailableException when not connected, or at once during an outage until the next probe
     *         is due: a hung Redis (every command timing out) must not cost each caller the full timeout
     */
    public RedisAsyncCommands<String, String> async() {
        if (outage.isDown() && System.nanoTime() - nextProbeNanos < 0) {
            if (closed) {
                throw new ClosedException(component);
            }
            throw new BackendUnavailableException(
                    "redis", "unavailable since a recent failure; retrying shortly", null);
        }
        return connection().async();
    }

    /** Runs {@code script} (EVALSHA, falling back to EVAL when Redis lost its script cache, e.g. after a restart). */
    public <T> CompletableFuture<T> evalAsync(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        RedisAsyncCommands<String, String> commands = async();
        CompletableFuture<T> first =
                commands.<T>evalsha(script.sha1(), type, keys, args).toCompletableFuture();
        return first.exceptionallyCompose(e -> Completions.unwrap(e) instanceof RedisNoScriptException
                ? commands.<T>eval(script.body(), type, keys, args).toCompletableFuture()
                : CompletableFuture.failedFuture(Completions.unwrap(e)));
    }

    /** Runs {@code script} and waits for its answer, at most the command timeout. */
    public <T> T eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return await(evalAsync(script, type, keys, args), script.name());
    }

    /**
     * Waits for one command, at most the command timeout.
     *
     * @throws BackendUnavailableException on any failure
     */
    public <T> T await(CompletionStage<T> stage, String what) {
        return await(stage, what, config.commandTimeout());
    }

    /**
     * Waits for {@code stage}, which may take up to {@code timeout} (e.g. a read queued behind another: two
     * command timeouts). Lettuce fails each command within the command timeout; the wait here only guards against
     * a stage that never completes, so a slow answer is reported as the command's own timeout, not ours.
     *
     * @throws BackendUnavailableException on any failure
     */
    public <T> T await(CompletionStage<T> stage, String what, Duration timeout) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        try {
            T value = future.get(timeout.plus(AWAIT_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
            outage.succeeded();
            return value;
        } catch (ExecutionException | CompletionException | CancellationException e) {
            throw failure(what, Completions.unwrap(e));
        } catch (TimeoutException e) {
            future.cancel(true);
            throw failure(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new BackendUnavailableException("redis", what + " was interrupted", e);
        }
    }

    /**
     * Waits for every command, at most the command timeout in all.
     *
     * @throws BackendUnavailableException when any command fails or times out
     */
    public void awaitAll(List<? extends CompletionStage<?>> stages, String what) {
        await(
                CompletableFuture.allOf(stages.stream()
                        .map(CompletionStage::toCompletableFuture)
                        .toArray(CompletableFuture[]::new)),
                what);
    }

    /**
     * Records a failure in the outage log and wraps it for the caller: a {@link BackendUnavailableException},
     * or the {@link ClosedException} of a call after {@link #close()}.
     */
    public RuntimeException failure(String what, Throwable cause) {
        if (cause instanceof BackendUnavailableException || cause instanceof ClosedException) {
            return (RuntimeException) cause;
        }
        if (closed) {
            return new ClosedException(component);
        }
        nextProbeNanos = System.nanoTime() + PROBE_INTERVAL_NANOS;
        outage.failed(cause);
        String reason = cause instanceof TimeoutException
                ? "no answer within " + config.commandTimeout().toMillis() + " ms"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new BackendUnavailableException("redis", what + " failed: " + reason, cause);
    }

    public OutageLog outage() {
        return outage;
    }

    public RedisConfig config() {
        return config;
    }

    private StatefulRedisConnection<String, String> connection() {
        if (closed) {
            throw new ClosedException(component);
        }
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            return c;
        }
        if (System.nanoTime() - nextConnectNanos < 0 || !connectLock.tryLock()) {
            throw new BackendUnavailableException(
                    "redis", "not connected to " + config.redactedUri(), lastConnectFailure);
        }
        try {
            c = connection;
            if (c != null) {
                return c;
            }
            if (closed) {
                throw new ClosedException(component);
            }
            try {
                c = client.connect();
            } catch (RuntimeException e) {
                lastConnectFailure = e;
                nextConnectNanos = System.nanoTime() + CONNECT_RETRY_NANOS;
                nextProbeNanos = nextConnectNanos;
                outage.failed(e);
                throw new BackendUnavailableException("redis", "cannot connect to " + config.redactedUri(), e);
            }
            connection = c;
            outage.succeeded();
            return c;
        } finally {
            connectLock.unlock();
        }
    }

    /** Closes the connection and the client's threads. Idempotent. */
    @Override
    public void close() {
        connectLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            connectLock.unlock();
        }
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
