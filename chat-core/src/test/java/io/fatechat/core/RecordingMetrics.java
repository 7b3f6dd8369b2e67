package io.fatechat.core;

import io.fatechat.spi.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the engine's metric calls. */
final class RecordingMetrics implements ChatMetrics {

    final AtomicInteger sent = new AtomicInteger();
    final List<Duration> delivered = new CopyOnWriteArrayList<>();
    final List<ErrorCode> refused = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();

    @Override
    public void messageSent() {
        sent.incrementAndGet();
    }

    @Override
    public void messageDelivered(Duration latency) {
        delivered.add(latency);
    }

    @Override
    public void requestRefused(ErrorCode reason) {
        refused.add(reason);
    }

    @Override
    public void connectionsChanged(int delta) {
        connections.addAndGet(delta);
    }
}
