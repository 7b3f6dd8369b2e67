package io.fatechat.socketio;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO v4 session, whatever carries it: the outbound queue, the {@link Transport} in use and the upgrade
 * to another one, the heartbeat ({@link Heartbeat}) and the close. Knows no servlet or WebSocket type.
 *
 * <p>All state, the transports' included, is guarded by {@link #lock}; no method blocks, so any thread (container
 * I/O, worker, timer) may call in. Transports take frames from the queue under the lock and write them outside it.
 */
final class EngineSession {

    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);

    private enum State {
        OPEN,
        CLOSING,
        CLOSED
    }

    final EngineIoCore core;
    final String id;
    final SocketIoHandshake handshake;
    /** The client's address without port, as counted for the per-address cap. */
    final String clientAddress;

    final SerialExecutor inbox;
    /** Guards this session and its transports. */
    final Object lock = new Object();

    /** Small at first: an idle connection queues nothing (grows as needed, issue 11). */
    private final ArrayDeque<Frame> queue = new ArrayDeque<>(2);

    private final Runnable scheduledFlush = this::runScheduledFlush;
    private final Heartbeat heartbeat;
    private final TransportUpgrade upgrade;
    private volatile EngineListener listener;

    // guarded by lock
    private State state = State.OPEN;
    private Transport transport;
    private boolean flushScheduled;
    private long queuedBytes;
    private ScheduledFuture<?> closingTimer;
    private EngineIoCloseReason closingReason = EngineIoCloseReason.FORCED_CLOSE;

    EngineSession(EngineIoCore core, String id, SocketIoHandshake handshake, String clientAddress) {
        this.core = core;
        this.id = id;
        this.handshake = handshake;
        this.clientAddress = clientAddress;
        this.inbox = new SerialExecutor(core.workers, core.config.maxInboundQueue());
        this.heartbeat = new Heartbeat(this);
        this.upgrade = new TransportUpgrade(this);
    }

    /** Sets the first transport, before the session is used. */
    void attach(Transport first) {
        synchronized (lock) {
            this.transport = first;
        }
    }

    void listener(EngineListener listener) {
        this.listener = listener;
    }

    EngineListener listener() {
        return listener;
    }

    /** The transport in use. */
    Transport transport() {
        synchronized (lock) {
            return transport;
        }
    }

    /** {@code polling} or {@code websocket}. */
    String transportName() {
        return transport().name();
    }

    String remoteAddress() {
        return handshake.remoteAddress();
    }

    boolean isOpen() {
        synchronized (lock) {
            return state == State.OPEN;
        }
    }

    /** Under {@link #lock}: neither closing nor closed. */
    boolean isOpenLocked() {
        return state == State.OPEN;
    }

    /** Under {@link #lock}: closed for good. */
    boolean closedLocked() {
        return state == State.CLOSED;
    }

    /** Under {@link #lock}: whether {@code t} is the open session's transport. */
    boolean activeLocked(Transport t) {
        return state == State.OPEN && transport == t;
    }

    /** Under {@link #lock}: whether {@code t} carries the session (open or closing). */
    boolean currentLocked(Transport t) {
        return transport == t;
    }

    /** Under {@link #lock}: an upgrade probe succeeded and the old transport must hold its frames. */
    boolean upgradingLocked() {
        return upgrade.upgradingLocked();
    }

    /** Starts the heartbeat. */
    void start() {
        heartbeat.start();
    }

    // ---------------------------------------------------------------- outbound

    /** Queues one packet; false when the session is closing or was just closed as a slow consumer. */
    boolean send(Frame frame) {
        boolean overflow;
        synchronized (lock) {
            if (state != State.OPEN) {
                return false;
            }
            overflow = !enqueue(frame);
        }
        if (overflow) {
            slowConsumer();
            return false;
        }
        requestFlush();
        return true;
    }

    /** Queues the packets of one Socket.IO packet (text plus attachments) atomically. */
    boolean send(Frame[] frames) {
        boolean overflow = false;
        synchronized (lock) {
            if (state != State.OPEN) {
                return false;
            }
            if (queue.size() + frames.length > core.config.maxQueuedPackets()) {
                overflow = true;
            } else {
                for (Frame f : frames) {
                    if (!enqueue(f)) {
                        overflow = true;
                        break;
                    }
                }
            }
        }
        if (overflow) {
            slowConsumer();
            return false;
        }
        requestFlush();
        return true;
    }

    private boolean enqueue(Frame frame) {
        if (queue.size() >= core.config.maxQueuedPackets()
                || queuedBytes + frame.size() > core.config.maxQueuedBytes()) {
            return false;
        }
        queue.add(frame);
        queuedBytes += frame.size();
        return true;
    }

    private void slowConsumer() {
        core.metrics.slowConsumerDisconnected();
        log.warn("Disconnecting slow Socket.IO client {} ({}): outbound queue full", remoteAddress(), id);
        close(EngineIoCloseReason.SLOW_CONSUMER);
    }

    /**
     * Has a worker write what is queued, never the caller: a broadcast from a bus thread then costs one queue
     * offer per recipient, and the socket writes of many recipients spread over the worker pool instead of
     * running one after another on that thread.
     */
    private void requestFlush() {
        synchronized (lock) {
            if (flushScheduled || transport.busyLocked()) {
                return; // a flush is coming, or the pending write's completion continues
            }
            flushScheduled = true;
        }
        try {
            core.workers.execute(scheduledFlush);
        } catch (RejectedExecutionException e) {
            // shutting down: write on this thread rather than strand the frames
            runScheduledFlush();
        }
    }

    private void runScheduledFlush() {
        synchronized (lock) {
            flushScheduled = false;
        }
        flush();
    }

    /** Lets the transport in use take what is queued. */
    void flush() {
        transport().flush();
    }

    /** Under {@link #lock}: whether frames wait. */
    boolean hasQueuedLocked() {
        return !queue.isEmpty();
    }

    /** Under {@link #lock}: takes every queued frame (a polling response). */
    List<Frame> drainLocked() {
        List<Frame> batch = new ArrayList<>(queue.size());
        Frame f;
        while ((f = queue.poll()) != null) {
            batch.add(f);
            if (f == Frame.PING) {
                heartbeat.pingDeliveredLocked();
            }
        }
        queuedBytes = 0;
        return batch;
    }

    /** Under {@link #lock}: takes the next frame (a WebSocket send), or null; after a close nothing is left. */
    Frame pollLocked() {
        Frame f = queue.poll();
        if (f == null) {
            return null;
        }
        queuedBytes -= f.size();
        if (f == Frame.PING) {
            heartbeat.pingDeliveredLocked();
        }
        if (f == Frame.CLOSE) {
            queue.clear();
            queuedBytes = 0;
        }
        return f;
    }

    /** A snapshot of the outbound queue (for tests). */
    List<Frame> queuedFrames() {
        synchronized (lock) {
            return List.copyOf(queue);
        }
    }

    /** A transport delivered the close frame of a graceful close: the session ends. */
    void closeDelivered() {
        EngineIoCloseReason reason;
        synchronized (lock) {
            reason = closingReason;
        }
        finish(reason);
    }

    // ---------------------------------------------------------------- inbound

    /** Handles one packet a transport decoded; false when it was invalid (the session is then closed). */
    boolean onPacket(EngineParser.Packet p, Transport from) {
        if (p.isError()) {
            protocolError(p.error());
            return false;
        }
        if (p.isBinary()) {
            return deliverBinary(p.binary());
        }
        core.metrics.packetReceived();
        switch (p.type()) {
            case CLOSE:
                from.onClientClose();
                close(EngineIoCloseReason.TRANSPORT_CLOSE);
                return true;
            case PING:
                send(Frame.of(EnginePacketType.PONG, p.data()));
                return true;
            case PONG:
                heartbeat.onPong();
                return true;
            case MESSAGE:
                return deliverText(p.data());
            case NOOP:
                return true;
            default:
                protocolError("unknown Engine.IO packet type '" + p.type().code() + "'");
                return false;
        }
    }

    /** True (and the session closed) when a pong is late; transports check it on every poll. */
    boolean expireIfOverdue() {
        if (heartbeat.pongOverdue()) {
            close(EngineIoCloseReason.PING_TIMEOUT);
            return true;
        }
        return false;
    }

    private boolean deliverText(String data) {
        EngineListener l = listener;
        if (l == null) {
            return true;
        }
        if (!inbox.offer(() -> l.onText(data))) {
            flood();
            return false;
        }
        return true;
    }

    boolean deliverBinary(byte[] data) {
        core.metrics.packetReceived();
        EngineListener l = listener;
        if (l == null) {
            return true;
        }
        if (!inbox.offer(() -> l.onBinary(data))) {
            flood();
            return false;
        }
        return true;
    }

    private void flood() {
        core.metrics.protocolError("flood");
        log.warn(
                "Closing Engine.IO session of {} ({}): more than {} packets waiting (flood)",
                remoteAddress(),
                id,
                core.config.maxInboundQueue());
        close(EngineIoCloseReason.FLOOD);
    }

    /** A protocol violation: counted, logged once (the session closes with it), never echoed to the client. */
    void protocolError(String what) {
        boolean first;
        boolean streaming;
        synchronized (lock) {
            first = state == State.OPEN;
            streaming = transport.streaming();
        }
        core.metrics.protocolError(what);
        if (first) {
            log.warn("Closing Engine.IO session of {} ({}): {}", remoteAddress(), id, what);
        }
        if (streaming) {
            // What was queued before the error (the CONNECT_ERROR of a refused CONNECT, say) still goes out, then
            // the session closes; none of its later input is handled. Closing at once would race the worker
            // that writes the queue and drop those frames.
            closeGracefully(EngineIoCloseReason.PARSE_ERROR);
        } else {
            close(EngineIoCloseReason.PARSE_ERROR); // polling: the next request learns it at once (400)
        }
    }

    /** A message or body over maxPayload arrived: counted, logged, closed. */
    void payloadTooLarge(String what) {
        core.metrics.protocolError("payload too large");
        log.warn(
                "Closing Engine.IO session of {} ({}): {} over maxPayload {}",
                remoteAddress(),
                id,
                what,
                core.config.maxPayload());
        close(EngineIoCloseReason.PARSE_ERROR);
    }

    // ---------------------------------------------------------------- upgrade

    /** A second transport asks to take over (its sid names this session): it becomes the probe, or is refused. */
    boolean acceptProbe(Transport candidate) {
        return upgrade.accept(candidate);
    }

    boolean isProbe(Transport t) {
        return upgrade.isProbe(t);
    }

    /** A packet arrived on the probe: {@code 2probe} is answered, {@code 5} completes the upgrade. */
    void onProbePacket(Transport t, EngineParser.Packet p) {
        upgrade.onProbePacket(t, p);
    }

    /** The probe failed, timed out or closed: the session stays on its transport. */
    void abortProbe(Transport t) {
        upgrade.abort(t);
    }

    /** Under {@link #lock}: the upgrade moves the session to {@code next}; returns the transport it leaves. */
    Transport switchTransportLocked(Transport next) {
        Transport old = transport;
        transport = next;
        return old;
    }

    // ---------------------------------------------------------------- close

    /**
     * Closes after the queued packets are delivered (used for server-initiated closes: the client then still
     * receives e.g. a DISCONNECT or CONNECT_ERROR). Falls back to an immediate close after the ping timeout.
     */
    void closeGracefully(EngineIoCloseReason reason) {
        synchronized (lock) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            closingReason = reason;
            queue.add(Frame.CLOSE);
            closingTimer = core.schedule(
                    () -> finish(reason), core.config.pingTimeout().toMillis());
        }
        flush();
    }

    /** Closes now; the transport tells the client as it can. */
    void close(EngineIoCloseReason reason) {
        finish(reason);
    }

    private void finish(EngineIoCloseReason reason) {
        Transport current;
        Transport probing;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            current = transport;
            probing = upgrade.endLocked();
            queue.clear();
            queuedBytes = 0;
            heartbeat.stopLocked();
            cancel(closingTimer);
        }
        if (!current.keepsSessionAfterClose(reason)) {
            core.remove(this);
        }
        current.onSessionClosed(reason);
        if (probing != null) {
            probing.abort(reason.wireName());
        }
        EngineListener l = listener;
        if (l != null) {
            // the listener reports the close: it knows the reason its layer gives it (a connect timeout, say)
            l.closing(reason);
            inbox.execute(() -> l.onClose(reason));
        }
    }

    static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
