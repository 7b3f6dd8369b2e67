package io.fatechat.socketio;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO v4 session: its outbound queue, the active transport (long-polling or WebSocket), the upgrade
 * between them, and the heartbeat. All state is guarded by {@code lock}; no method blocks, so any thread
 * (container I/O, worker, timer) may call in.
 */
final class EngineConnection {

    private static final Logger log = LoggerFactory.getLogger(EngineConnection.class);
    /** How long a poll that arrives during an upgrade waits for the upgrade before it gets a noop. */
    private static final long UPGRADE_POLL_DELAY_MS = 50;
    private static final String PROBE_PING = EnginePacketType.PING.code() + "probe";
    private static final String PROBE_PONG = EnginePacketType.PONG.code() + "probe";
    private static final String UPGRADE = String.valueOf(EnginePacketType.UPGRADE.code());
    private static final byte[] NOOP_BODY = {(byte) EnginePacketType.NOOP.code()};
    private static final byte[] CLOSE_BODY = {(byte) EnginePacketType.CLOSE.code()};

    private enum State { OPEN, CLOSING, CLOSED }

    final EngineIoCore core;
    final String id;
    final SocketIoHandshake handshake;
    final SerialExecutor inbox;

    private final Object lock = new Object();
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private final SendHandler wsSendHandler = this::onWsSent;
    private final Runnable scheduledFlush = this::runScheduledFlush;
    private volatile EngineListener listener;

    // guarded by lock
    private State state = State.OPEN;
    private boolean websocket;
    private Session ws;
    private boolean wsSending;
    private boolean flushScheduled;
    private Thread wsLoopThread;
    private Session probe;
    private boolean probed;
    private ScheduledFuture<?> upgradeTimer;
    private AsyncContext pendingPoll;
    private boolean postInProgress;
    private boolean lingerForOnePoll;
    private long queuedBytes;
    /** When the next pong is due at the latest (ping due time + ping timeout), System.nanoTime based. */
    private long pongDeadline;
    private boolean pingSent;
    private long nextPingDue;
    private boolean pingWasDelivered;
    private ScheduledFuture<?> heartbeatTimer;
    private ScheduledFuture<?> closingTimer;
    private DisconnectReason closingReason = DisconnectReason.FORCED_CLOSE;
    /** The WebSocket close code when it differs from the one of the disconnect reason. */
    private CloseReason.CloseCode wsCloseCode;

    EngineConnection(EngineIoCore core, String id, SocketIoHandshake handshake, Session webSocket) {
        this.core = core;
        this.id = id;
        this.handshake = handshake;
        this.inbox = new SerialExecutor(core.workers, core.config.maxInboundQueue());
        if (webSocket != null) {
            this.websocket = true;
            this.ws = webSocket;
        }
    }

    void listener(EngineListener listener) {
        this.listener = listener;
    }

    String transport() {
        synchronized (lock) {
            return websocket ? "websocket" : "polling";
        }
    }

    String remoteAddress() {
        return handshake.remoteAddress();
    }

    boolean isOpen() {
        synchronized (lock) {
            return state == State.OPEN;
        }
    }

    /** Starts the heartbeat. */
    void start() {
        synchronized (lock) {
            long interval = core.config.pingInterval().toMillis();
            nextPingDue = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(interval);
            pongDeadline = nextPingDue + TimeUnit.MILLISECONDS.toNanos(core.config.pingTimeout().toMillis());
            heartbeatTimer = core.schedule(this::sendPing, interval);
        }
    }

    // ---------------------------------------------------------------- outbound

    /** Queues one packet; false when the connection is closing or was just closed as a slow consumer. */
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
        close(DisconnectReason.SLOW_CONSUMER);
    }

    /**
     * Has a worker write what is queued, never the caller: a broadcast from a bus thread then costs one queue
     * offer per recipient, and the socket writes of many recipients spread over the worker pool instead of
     * running one after another on that thread.
     */
    private void requestFlush() {
        synchronized (lock) {
            if (flushScheduled || (websocket && wsSending)) {
                return; // a flush is coming, or the pending send's completion continues the loop
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

    private void flush() {
        AsyncContext poll = null;
        List<Frame> batch = null;
        synchronized (lock) {
            if (websocket) {
                // fall through to the WebSocket loop below
            } else if (pendingPoll != null && !probed && !queue.isEmpty()) {
                poll = pendingPoll;
                pendingPoll = null;
                batch = drainQueue();
            }
        }
        if (poll != null) {
            writePollBatch(poll, batch);
        } else {
            flushWebSocket();
        }
    }

    /** The active WebSocket, or null while polling (for tests). */
    Session webSocket() {
        synchronized (lock) {
            return websocket ? ws : null;
        }
    }

    /** A snapshot of the outbound queue (for tests). */
    List<Frame> queuedFrames() {
        synchronized (lock) {
            return List.copyOf(queue);
        }
    }

    private List<Frame> drainQueue() {
        List<Frame> batch = new ArrayList<>(queue.size());
        Frame f;
        while ((f = queue.poll()) != null) {
            batch.add(f);
            if (f == Frame.PING) {
                pingDelivered();
            }
        }
        queuedBytes = 0;
        return batch;
    }

    private void writePollBatch(AsyncContext poll, List<Frame> batch) {
        ServletResponses.writeText(poll, EngineParser.encodePayload(batch));
        if (EngineParser.closes(batch)) {
            finish(closingReason);
        }
    }

    /** Sends queued frames over the WebSocket, one outstanding async send at a time (the Jakarta rule). */
    private void flushWebSocket() {
        Thread me = Thread.currentThread();
        for (;;) {
            Frame f;
            Session session;
            synchronized (lock) {
                if (!websocket || wsSending || ws == null || state == State.CLOSED) {
                    return;
                }
                f = queue.poll();
                if (f == null) {
                    return;
                }
                queuedBytes -= f.size();
                if (f == Frame.PING) {
                    pingDelivered();
                }
                session = ws;
                if (f == Frame.CLOSE) {
                    queue.clear();
                    queuedBytes = 0;
                }
                wsSending = f != Frame.CLOSE;
                wsLoopThread = me;
            }
            if (f == Frame.CLOSE) {
                finish(closingReason);
                return;
            }
            try {
                if (f.isBinary()) {
                    session.getAsyncRemote().sendBinary(ByteBuffer.wrap(f.binary), wsSendHandler);
                } else {
                    session.getAsyncRemote().sendText(f.text, wsSendHandler);
                }
            } catch (RuntimeException e) {
                log.debug("WebSocket send to {} failed", remoteAddress(), e);
                close(DisconnectReason.TRANSPORT_ERROR);
                return;
            }
            synchronized (lock) {
                if (wsLoopThread == me) {
                    wsLoopThread = null;
                }
                if (wsSending) {
                    return; // completes later; its handler continues the loop
                }
            }
        }
    }

    private void onWsSent(SendResult result) {
        boolean inline;
        synchronized (lock) {
            wsSending = false;
            inline = wsLoopThread == Thread.currentThread();
        }
        if (!result.isOK()) {
            log.debug("WebSocket send to {} failed", remoteAddress(), result.getException());
            close(DisconnectReason.TRANSPORT_ERROR);
            return;
        }
        if (!inline) {
            flushWebSocket();
        }
    }

    // ---------------------------------------------------------------- heartbeat

    /**
     * Sends the ping. Until the ping reaches the client the pong deadline stays at the scheduled ping time plus
     * the ping timeout (a late timer or a client that stopped polling cannot extend a session's life); once a
     * transport takes the ping, the client gets the full ping timeout from then on.
     */
    private void sendPing() {
        synchronized (lock) {
            if (state != State.OPEN) {
                return;
            }
            pingSent = true;
            heartbeatTimer = core.schedule(this::checkPong, remainingMillis());
        }
        send(Frame.PING);
    }

    /** Called under {@code lock} when a transport takes the ping frame. */
    private void pingDelivered() {
        if (pingSent) {
            pingWasDelivered = true;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(core.config.pingTimeout().toMillis());
            if (deadline - pongDeadline > 0) {
                pongDeadline = deadline;
            }
        }
    }

    /**
     * The pong deadline plus, once the client had the ping, a grace of one more ping timeout (at most 1 s): on a
     * busy machine a pong sent in time may wait in buffers or behind a descheduled thread, and closing a live
     * connection costs far more (a reconnect, lost presence) than noticing a dead one a moment later.
     */
    private long effectiveDeadline() {
        if (!pingWasDelivered) {
            return pongDeadline;
        }
        long grace = Math.min(core.config.pingTimeout().toMillis(), 1000);
        return pongDeadline + TimeUnit.MILLISECONDS.toNanos(grace);
    }

    private long remainingMillis() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(effectiveDeadline() - System.nanoTime())) + 1;
    }

    private void checkPong() {
        synchronized (lock) {
            if (state != State.OPEN || !pingSent) {
                return;
            }
            if (System.nanoTime() - effectiveDeadline() < 0) {
                heartbeatTimer = core.schedule(this::checkPong, remainingMillis());
                return;
            }
        }
        close(DisconnectReason.PING_TIMEOUT);
    }

    /** True when a pong is late; checked on every poll so a late timer thread cannot let a dead session live. */
    private boolean pongOverdue() {
        synchronized (lock) {
            return state == State.OPEN && System.nanoTime() - effectiveDeadline() >= 0;
        }
    }

    private boolean expireIfOverdue() {
        if (pongOverdue()) {
            close(DisconnectReason.PING_TIMEOUT);
            return true;
        }
        return false;
    }

    private void onPong() {
        synchronized (lock) {
            if (state != State.OPEN || !pingSent) {
                return;
            }
            pingSent = false;
            pingWasDelivered = false;
            // a ping every pingInterval, counted from the previous ping rather than from the pong, so the
            // cadence does not drift by the round trip
            long now = System.nanoTime();
            nextPingDue += TimeUnit.MILLISECONDS.toNanos(core.config.pingInterval().toMillis());
            if (nextPingDue - now < 0) {
                nextPingDue = now;
            }
            pongDeadline = nextPingDue + TimeUnit.MILLISECONDS.toNanos(core.config.pingTimeout().toMillis());
            if (heartbeatTimer != null) {
                heartbeatTimer.cancel(false);
            }
            heartbeatTimer = core.schedule(this::sendPing, TimeUnit.NANOSECONDS.toMillis(nextPingDue - now));
        }
    }

    // ---------------------------------------------------------------- polling

    /** A GET poll. */
    void onPoll(jakarta.servlet.http.HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (expireIfOverdue()) {
            ServletResponses.writeError(resp, EngineError.UNKNOWN_SID);
            return;
        }
        AsyncContext duplicate = null;
        AsyncContext respondNow = null;
        List<Frame> batch = null;
        boolean delayedNoop = false;
        boolean lingeringNoop = false;
        synchronized (lock) {
            if (state == State.CLOSED && lingerForOnePoll) {
                lingerForOnePoll = false;
                lingeringNoop = true;
            } else if (state == State.CLOSED || websocket) {
                // fall through: answered below
            } else if (pendingPoll != null) {
                duplicate = pendingPoll;
                pendingPoll = null;
            } else {
                AsyncContext ac = req.startAsync();
                ac.setTimeout(core.config.pingInterval().toMillis() + core.config.pingTimeout().toMillis() + 5_000);
                ac.addListener(new PollListener(this));
                if (probed) {
                    pendingPoll = ac;
                    delayedNoop = true;
                } else if (!queue.isEmpty()) {
                    respondNow = ac;
                    batch = drainQueue();
                } else {
                    pendingPoll = ac;
                }
            }
        }
        if (lingeringNoop) {
            core.remove(this);
            resp.setContentType("text/plain; charset=UTF-8");
            resp.getOutputStream().write(NOOP_BODY);
        } else if (duplicate != null) {
            core.metrics.protocolError("duplicate poll");
            log.warn("Closing Engine.IO session of {} ({}): overlapping poll requests", remoteAddress(), id);
            ServletResponses.writeText(duplicate, new byte[] {(byte) EnginePacketType.CLOSE.code()});
            finish(DisconnectReason.PARSE_ERROR);
            ServletResponses.writeError(resp, EngineError.BAD_REQUEST);
        } else if (respondNow != null) {
            writePollBatch(respondNow, batch);
        } else if (delayedNoop) {
            core.schedule(this::releasePollDuringUpgrade, UPGRADE_POLL_DELAY_MS);
        } else if (!req.isAsyncStarted()) {
            ServletResponses.writeError(resp, websocket() ? EngineError.BAD_REQUEST : EngineError.UNKNOWN_SID);
        }
    }

    private boolean websocket() {
        synchronized (lock) {
            return websocket;
        }
    }

    /** Ends a poll that waits during an upgrade with a noop, as the Node.js server does. */
    private void releasePollDuringUpgrade() {
        AsyncContext poll;
        synchronized (lock) {
            if (pendingPoll == null || websocket) {
                return;
            }
            poll = pendingPoll;
            pendingPoll = null;
        }
        ServletResponses.writeText(poll, NOOP_BODY);
    }

    void onPollAborted(AsyncContext ac, boolean timedOut) {
        boolean wasPending;
        synchronized (lock) {
            wasPending = pendingPoll == ac;
            if (wasPending) {
                pendingPoll = null;
            }
        }
        if (!wasPending) {
            return;
        }
        if (timedOut) {
            ServletResponses.writeText(ac, NOOP_BODY);
        } else {
            try {
                ac.complete();
            } catch (RuntimeException ignored) {
                // already completed by the container
            }
            close(DisconnectReason.TRANSPORT_ERROR);
        }
    }

    /** A POST: starts the non-blocking read of its body. */
    void onPost(jakarta.servlet.http.HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // no overdue check here: the body may carry the pong
        boolean overlap = false;
        synchronized (lock) {
            if (state == State.CLOSED || websocket) {
                ServletResponses.writeError(resp, websocket ? EngineError.BAD_REQUEST : EngineError.UNKNOWN_SID);
                return;
            }
            if (postInProgress) {
                overlap = true;
            } else {
                postInProgress = true;
            }
        }
        if (overlap) {
            protocolError("overlapping POST requests");
            ServletResponses.writeError(resp, EngineError.BAD_REQUEST);
            return;
        }
        long length = req.getContentLengthLong();
        if (length > core.config.maxPayload()) {
            payloadTooLarge(resp);
            return;
        }
        AsyncContext ac = req.startAsync();
        ac.setTimeout(30_000);
        new PostBodyReader(this, ac, core.config.maxPayload()).start();
    }

    void payloadTooLarge(HttpServletResponse resp) throws IOException {
        synchronized (lock) {
            postInProgress = false;
        }
        core.metrics.protocolError("payload too large");
        log.warn("Closing Engine.IO session of {} ({}): payload over maxPayload {}", remoteAddress(), id,
                core.config.maxPayload());
        close(DisconnectReason.PARSE_ERROR);
        ServletResponses.writeError(resp, EngineError.PAYLOAD_TOO_LARGE);
    }

    /** The POST body arrived: decode the payload, then answer {@code ok} or 400. */
    void onPostBody(AsyncContext ac, byte[] body) {
        synchronized (lock) {
            postInProgress = false;
        }
        boolean ok = true;
        for (EngineParser.Packet p : EngineParser.decodePayload(new String(body, StandardCharsets.UTF_8))) {
            ok = onPacket(p, false);
            if (!ok) {
                break;
            }
        }
        if (ok) {
            // answered after the packets were handled: the client gets backpressure, and what the handlers
            // sent is already queued when it polls next
            inbox.execute(() -> ServletResponses.writeAsync(ac, 200, "text/html", new byte[] {'o', 'k'}));
        } else {
            ServletResponses.writeAsync(ac, EngineError.BAD_REQUEST);
        }
    }

    void onPostFailed(AsyncContext ac) {
        synchronized (lock) {
            postInProgress = false;
        }
        try {
            ac.complete();
        } catch (RuntimeException ignored) {
            // the container completed it
        }
        close(DisconnectReason.TRANSPORT_ERROR);
    }

    // ---------------------------------------------------------------- shared packet handling

    /** Handles one decoded Engine.IO packet; false when it was invalid (the session is then closed). */
    private boolean onPacket(EngineParser.Packet p, boolean overWebSocket) {
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
                if (!overWebSocket) {
                    synchronized (lock) {
                        // a poll racing this close (sent alongside it) still gets the noop it would have got
                        lingerForOnePoll = pendingPoll == null;
                    }
                }
                close(DisconnectReason.TRANSPORT_CLOSE);
                return true;
            case PING:
                send(Frame.of(EnginePacketType.PONG, p.data()));
                return true;
            case PONG:
                onPong();
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

    private boolean deliverBinary(byte[] data) {
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
        log.warn("Closing Engine.IO session of {} ({}): more than {} packets waiting (flood)", remoteAddress(), id,
                core.config.maxInboundQueue());
        close(DisconnectReason.FLOOD);
    }

    /** A protocol violation: counted, logged once (the session closes with it), never echoed to the client. */
    void protocolError(String what) {
        boolean first;
        boolean overWebSocket;
        synchronized (lock) {
            first = state == State.OPEN;
            overWebSocket = websocket;
        }
        core.metrics.protocolError(what);
        if (first) {
            log.warn("Closing Engine.IO session of {} ({}): {}", remoteAddress(), id, what);
        }
        if (overWebSocket) {
            // What was queued before the error (the CONNECT_ERROR of a refused CONNECT, say) still goes out, then
            // the connection closes; none of its later input is handled. Closing at once would race the worker
            // that writes the queue and drop those frames.
            closeGracefully(DisconnectReason.PARSE_ERROR);
        } else {
            close(DisconnectReason.PARSE_ERROR); // polling: the next request learns it at once (400)
        }
    }

    // ---------------------------------------------------------------- WebSocket

    void onWsText(Session session, String text) {
        if (isProbe(session)) {
            onProbeText(session, text);
            return;
        }
        synchronized (lock) {
            if (session != ws || state != State.OPEN) {
                return;
            }
        }
        onPacket(EngineParser.decodePacket(text), true);
    }

    void onWsBinary(Session session, byte[] data) {
        synchronized (lock) {
            if (session != ws || state != State.OPEN) {
                if (session == probe) {
                    abortProbe(session);
                }
                return;
            }
        }
        deliverBinary(data);
    }

    /** A message over maxPayload arrived on {@code session}: closed with 1009 (message too big). */
    void onWsTooBig(Session session) {
        if (isProbe(session)) {
            abortProbe(session);
            return;
        }
        synchronized (lock) {
            if (session != ws || state != State.OPEN) {
                return;
            }
            wsCloseCode = CloseReason.CloseCodes.TOO_BIG;
        }
        core.metrics.protocolError("payload too large");
        log.warn("Closing Engine.IO session of {} ({}): message over maxPayload {}", remoteAddress(), id,
                core.config.maxPayload());
        close(DisconnectReason.PARSE_ERROR);
    }

    void onWsClosed(Session session, CloseReason reason) {
        if (isProbe(session)) {
            abortProbe(session);
            return;
        }
        boolean active;
        synchronized (lock) {
            // not once we closed it ourselves: our own 1009 comes back here and was counted already
            active = session == ws && state != State.CLOSED;
        }
        if (active) {
            if (reason != null && reason.getCloseCode().getCode() == CloseReason.CloseCodes.TOO_BIG.getCode()) {
                core.metrics.protocolError("payload too large");
                log.warn("Closing Engine.IO session of {} ({}): message over maxPayload {}", remoteAddress(), id,
                        core.config.maxPayload());
                close(DisconnectReason.PARSE_ERROR);
            } else {
                close(DisconnectReason.TRANSPORT_CLOSE);
            }
        }
    }

    void onWsError(Session session, Throwable error) {
        log.debug("WebSocket error from {}", remoteAddress(), error);
        if (isProbe(session)) {
            abortProbe(session);
            return;
        }
        boolean active;
        synchronized (lock) {
            active = session == ws;
        }
        if (active) {
            close(DisconnectReason.TRANSPORT_ERROR);
        }
    }

    /** A WebSocket opened with this session's sid: becomes the upgrade probe, or is refused. */
    boolean acceptProbe(Session session) {
        synchronized (lock) {
            if (state != State.OPEN || websocket || probe != null) {
                return false;
            }
            probe = session;
            upgradeTimer = core.schedule(() -> abortProbe(session), core.config.upgradeTimeout().toMillis());
            return true;
        }
    }

    private boolean isProbe(Session session) {
        synchronized (lock) {
            return session == probe;
        }
    }

    private void onProbeText(Session session, String text) {
        if (PROBE_PING.equals(text)) {
            AsyncContext poll;
            synchronized (lock) {
                probed = true;
                poll = pendingPoll;
                pendingPoll = null;
            }
            session.getAsyncRemote().sendText(PROBE_PONG, r -> { });
            if (poll != null) {
                // lets the client end its polling cycle so it can send the upgrade packet
                ServletResponses.writeText(poll, NOOP_BODY);
            }
        } else if (UPGRADE.equals(text)) {
            AsyncContext poll;
            synchronized (lock) {
                if (!probed || state != State.OPEN) {
                    poll = null;
                } else {
                    websocket = true;
                    ws = session;
                    probe = null;
                    probed = false;
                    if (upgradeTimer != null) {
                        upgradeTimer.cancel(false);
                    }
                    poll = pendingPoll;
                    pendingPoll = null;
                }
            }
            if (!websocket()) {
                abortProbe(session);
                return;
            }
            if (poll != null) {
                ServletResponses.writeAsync(poll, EngineError.BAD_REQUEST);
            }
            core.metrics.connectionUpgraded();
            flushWebSocket();
        } else {
            abortProbe(session);
        }
    }

    private void abortProbe(Session session) {
        boolean flushPolling = false;
        synchronized (lock) {
            if (session != probe) {
                return;
            }
            probe = null;
            if (probed) {
                probed = false;
                flushPolling = true;
            }
            if (upgradeTimer != null) {
                upgradeTimer.cancel(false);
            }
        }
        core.closeWebSocket(session, CloseReason.CloseCodes.NORMAL_CLOSURE, "upgrade aborted");
        if (flushPolling) {
            flush();
        }
    }

    // ---------------------------------------------------------------- close

    /**
     * Closes after the queued packets are delivered (used for server-initiated closes: the client then still
     * receives e.g. a DISCONNECT or CONNECT_ERROR). Falls back to an immediate close after the ping timeout.
     */
    void closeGracefully(DisconnectReason reason) {
        synchronized (lock) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            closingReason = reason;
            queue.add(Frame.CLOSE);
            closingTimer = core.schedule(() -> finish(reason), core.config.pingTimeout().toMillis());
        }
        flushClosing();
    }

    private void flushClosing() {
        AsyncContext poll = null;
        List<Frame> batch = null;
        synchronized (lock) {
            if (!websocket && pendingPoll != null && !probed) {
                poll = pendingPoll;
                pendingPoll = null;
                batch = drainQueue();
            }
        }
        if (poll != null) {
            writePollBatch(poll, batch);
        } else {
            flushWebSocket();
        }
    }

    /** Closes now; a waiting poll gets a noop (client close) or a close packet. */
    void close(DisconnectReason reason) {
        finish(reason);
    }

    private void finish(DisconnectReason reason) {
        AsyncContext poll;
        Session socket;
        Session probeSession;
        CloseReason.CloseCode code;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            code = wsCloseCode != null ? wsCloseCode : closeCode(reason);
            state = State.CLOSED;
            poll = pendingPoll;
            pendingPoll = null;
            socket = websocket ? ws : null;
            probeSession = probe;
            probe = null;
            queue.clear();
            queuedBytes = 0;
            pongDeadline = 0;
            cancel(heartbeatTimer);
            cancel(upgradeTimer);
            cancel(closingTimer);
        }
        if (lingerForOnePoll) {
            core.schedule(() -> endLinger(), core.config.pingTimeout().toMillis());
        } else {
            core.remove(this);
        }
        if (poll != null) {
            byte[] last = reason == DisconnectReason.TRANSPORT_CLOSE ? NOOP_BODY : CLOSE_BODY;
            ServletResponses.writeText(poll, last);
        }
        if (socket != null) {
            core.closeWebSocket(socket, code, reason.wireName());
        }
        if (probeSession != null) {
            core.closeWebSocket(probeSession, CloseReason.CloseCodes.NORMAL_CLOSURE, reason.wireName());
        }
        core.metrics.connectionClosed(reason);
        EngineListener l = listener;
        if (l != null) {
            inbox.execute(() -> l.onClose(reason));
        }
    }

    private void endLinger() {
        synchronized (lock) {
            lingerForOnePoll = false;
        }
        core.remove(this);
    }

    private static CloseReason.CloseCode closeCode(DisconnectReason reason) {
        switch (reason) {
            case PARSE_ERROR:
                return CloseReason.CloseCodes.PROTOCOL_ERROR;
            case FLOOD:
            case SLOW_CONSUMER:
                return CloseReason.CloseCodes.VIOLATED_POLICY;
            case SERVER_SHUTTING_DOWN:
                return CloseReason.CloseCodes.GOING_AWAY;
            default:
                return CloseReason.CloseCodes.NORMAL_CLOSURE;
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
