package io.fatechat.spring.metrics;

import io.fatechat.core.ChatMetrics;
import io.fatechat.socketio.DisconnectReason;
import io.fatechat.socketio.SocketIoMetrics;
import io.fatechat.spi.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Binds the engine's and the Socket.IO layer's hooks to Micrometer meters:
 * <ul>
 *   <li>{@code fatechat.connections} (gauge): open chat connections on this node;</li>
 *   <li>{@code fatechat.messages.sent} (counter): messages accepted and made durable;</li>
 *   <li>{@code fatechat.messages.delivered} (counter) and {@code fatechat.messages.delivery.latency} (timer):
 *       messages that reached this node's clients, and the time from creation to delivery;</li>
 *   <li>{@code fatechat.requests.refused} (counter, tag {@code reason}): refused requests by error code;</li>
 *   <li>{@code fatechat.socketio.connections} (gauge): open Engine.IO connections;</li>
 *   <li>{@code fatechat.socketio.slow.consumer.disconnects} (counter): clients dropped for not reading;</li>
 *   <li>{@code fatechat.socketio.connections.closed} (counter, tag {@code reason});</li>
 *   <li>{@code fatechat.socketio.connects.refused} (counter): Socket.IO CONNECTs refused (bad token, unknown
 *       namespace);</li>
 *   <li>{@code fatechat.socketio.protocol.errors} (counter, tag {@code kind}): malformed packets and other
 *       protocol violations, by kind.</li>
 * </ul>
 * Every hook is a lock-free counter update.
 */
public class MicrometerChatMetrics implements ChatMetrics, SocketIoMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger transportConnections = new AtomicInteger();
    private final Counter sent;
    private final Counter delivered;
    private final Timer latency;
    private final Counter slowConsumers;
    private final Map<ErrorCode, Counter> refused = new EnumMap<>(ErrorCode.class);
    private final Map<DisconnectReason, Counter> closed = new EnumMap<>(DisconnectReason.class);
    private final Counter connectsRefused;
    // kinds come from the server's code, not from clients; the cap still bounds the tag's values
    private final Map<String, Counter> protocolErrors = new ConcurrentHashMap<>();
    private static final int MAX_PROTOCOL_ERROR_KINDS = 64;

    public MicrometerChatMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("fatechat.connections", connections, AtomicInteger::get)
                .description("Open chat connections on this node")
                .register(registry);
        Gauge.builder("fatechat.socketio.connections", transportConnections, AtomicInteger::get)
                .description("Open Engine.IO connections on this node")
                .register(registry);
        sent = Counter.builder("fatechat.messages.sent")
                .description("Room and private messages accepted and made durable")
                .register(registry);
        delivered = Counter.builder("fatechat.messages.delivered")
                .description("Messages delivered to this node's clients")
                .register(registry);
        latency = Timer.builder("fatechat.messages.delivery.latency")
                .description("Time from a message's creation to its delivery on this node")
                .publishPercentileHistogram()
                .register(registry);
        slowConsumers = Counter.builder("fatechat.socketio.slow.consumer.disconnects")
                .description("Clients disconnected because their outbound queue was full")
                .register(registry);
        connectsRefused = Counter.builder("fatechat.socketio.connects.refused")
                .description("Socket.IO CONNECT packets refused (bad token, unknown namespace)")
                .register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            refused.put(
                    code,
                    Counter.builder("fatechat.requests.refused")
                            .tag("reason", code.wireName())
                            .description("Requests refused, by reason")
                            .register(registry));
        }
        for (DisconnectReason reason : DisconnectReason.values()) {
            closed.put(
                    reason,
                    Counter.builder("fatechat.socketio.connections.closed")
                            .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                            .description("Engine.IO connections closed, by reason")
                            .register(registry));
        }
    }

    /** The registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void messageSent() {
        sent.increment();
    }

    @Override
    public void messageDelivered(Duration latency) {
        delivered.increment();
        this.latency.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    @Override
    public void requestRefused(ErrorCode reason) {
        refused.get(reason).increment();
    }

    @Override
    public void connectionsChanged(int delta) {
        connections.addAndGet(delta);
    }

    @Override
    public void connectionOpened(String transport) {
        transportConnections.incrementAndGet();
    }

    @Override
    public void connectionClosed(DisconnectReason reason) {
        transportConnections.decrementAndGet();
        Counter counter = closed.get(reason);
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void connectRefused(String namespace) {
        connectsRefused.increment();
    }

    @Override
    public void protocolError(String kind) {
        String tag = kind == null ? "unknown" : kind;
        Counter counter = protocolErrors.get(tag);
        if (counter == null) {
            if (protocolErrors.size() >= MAX_PROTOCOL_ERROR_KINDS) {
                tag = "other";
            }
            counter = protocolErrors.computeIfAbsent(tag, k -> Counter.builder("fatechat.socketio.protocol.errors")
                    .tag("kind", k)
                    .description("Protocol violations by clients, by kind")
                    .register(registry));
        }
        counter.increment();
    }

    @Override
    public void slowConsumerDisconnected() {
        slowConsumers.increment();
    }
}
