package io.fatechat.socketio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the server reports, for assertions. */
final class RecordingMetrics implements SocketIoMetrics {

    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger upgraded = new AtomicInteger();
    final AtomicInteger slowConsumers = new AtomicInteger();
    final AtomicInteger encoded = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final Map<String, AtomicInteger> protocolErrors = new ConcurrentHashMap<>();
    final Map<DisconnectReason, AtomicInteger> closeReasons = new ConcurrentHashMap<>();

    @Override
    public void connectionOpened(String transport) {
        opened.incrementAndGet();
    }

    @Override
    public void connectionClosed(DisconnectReason reason) {
        closed.incrementAndGet();
        closeReasons.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void connectionUpgraded() {
        upgraded.incrementAndGet();
    }

    @Override
    public void slowConsumerDisconnected() {
        slowConsumers.incrementAndGet();
    }

    @Override
    public void packetEncoded() {
        encoded.incrementAndGet();
    }

    @Override
    public void connectRefused(String namespace) {
        refused.incrementAndGet();
    }

    @Override
    public void protocolError(String kind) {
        protocolErrors.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    int closedFor(DisconnectReason reason) {
        AtomicInteger n = closeReasons.get(reason);
        return n == null ? 0 : n.get();
    }

    int protocolErrorCount() {
        return protocolErrors.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
