package io.fatechat.socketio;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP long-polling: a GET waits (asynchronously) until frames are queued, a POST carries the client's packets.
 * State guarded by the session's lock.
 */
final class PollingTransport extends Transport {

    private static final Logger log = LoggerFactory.getLogger(PollingTransport.class);
    /**
     * How long a poll that arrives during an upgrade waits for the upgrade before it gets a noop: the period of
     * the Node.js server's upgrade check. The upgrade packet, racing on the WebSocket, usually ends it first (400).
     */
    private static final long UPGRADE_POLL_DELAY_MS = 100;

    private static final long POST_TIMEOUT_MS = 30_000;
    private static final byte[] NOOP_BODY = {(byte) EnginePacketType.NOOP.code()};
    private static final byte[] CLOSE_BODY = {(byte) EnginePacketType.CLOSE.code()};
    private static final byte[] OK_BODY = {'o', 'k'};

    // guarded by session.lock
    private ParkedPoll pendingPoll;
    private boolean postInProgress;
    private boolean lingerForOnePoll;

    PollingTransport(EngineSession session) {
        super(session);
    }

    @Override
    String name() {
        return "polling";
    }

    @Override
    boolean streaming() {
        return false;
    }

    @Override
    void flush() {
        ParkedPoll poll = null;
        List<Frame> batch = null;
        synchronized (session.lock) {
            if (session.currentLocked(this)
                    && pendingPoll != null
                    && !session.upgradingLocked()
                    && session.hasQueuedLocked()) {
                poll = pendingPoll;
                pendingPoll = null;
                batch = session.drainLocked();
            }
        }
        if (poll != null) {
            writeBatch(poll, batch);
        }
    }

    private void writeBatch(ParkedPoll poll, List<Frame> batch) {
        poll.answer(EngineParser.encodePayload(batch));
        if (EngineParser.closes(batch)) {
            session.closeDelivered();
        }
    }

    // ---------------------------------------------------------------- GET

    /** A GET poll. */
    void onPoll(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (session.expireIfOverdue()) {
            ServletResponses.writeError(resp, EngineError.UNKNOWN_SID);
            return;
        }
        ParkedPoll duplicate = null;
        ParkedPoll respondNow = null;
        ParkedPoll parked = null;
        List<Frame> batch = null;
        boolean delayedNoop = false;
        boolean lingeringNoop = false;
        boolean refuse = false;
        synchronized (session.lock) {
            if (session.closedLocked() && lingerForOnePoll) {
                lingerForOnePoll = false;
                lingeringNoop = true;
            } else if (session.closedLocked() || !session.currentLocked(this)) {
                refuse = true;
            } else if (pendingPoll != null) {
                duplicate = pendingPoll;
                pendingPoll = null;
            } else {
                AsyncContext ac = req.startAsync();
                ac.setTimeout(session.core.config.pingInterval().toMillis()
                        + session.core.config.pingTimeout().toMillis()
                        + 5_000);
                ac.addListener(new PollListener(this));
                ParkedPoll poll = new ParkedPoll(ac, this::onPollClientGone);
                if (session.upgradingLocked()) {
                    pendingPoll = poll;
                    delayedNoop = true;
                } else if (session.hasQueuedLocked()) {
                    respondNow = poll;
                    batch = session.drainLocked();
                } else {
                    pendingPoll = poll;
                    parked = poll;
                }
            }
        }
        if (lingeringNoop) {
            session.core.remove(session);
            resp.setContentType(ServletResponses.TEXT);
            resp.getOutputStream().write(NOOP_BODY);
        } else if (refuse) {
            ServletResponses.writeError(resp, upgradedAway() ? EngineError.BAD_REQUEST : EngineError.UNKNOWN_SID);
        } else if (duplicate != null) {
            session.core.metrics.protocolError("duplicate poll");
            log.warn(
                    "Closing Engine.IO session of {} ({}): overlapping poll requests",
                    session.remoteAddress(),
                    session.id);
            duplicate.answer(CLOSE_BODY);
            session.close(EngineIoCloseReason.PARSE_ERROR);
            ServletResponses.writeError(resp, EngineError.BAD_REQUEST);
        } else if (respondNow != null) {
            writeBatch(respondNow, batch);
        } else if (delayedNoop) {
            session.core.schedule(this::releasePollDuringUpgrade, UPGRADE_POLL_DELAY_MS);
        } else if (parked != null) {
            scheduleProbe(parked);
        }
    }

    private void scheduleProbe(ParkedPoll poll) {
        long interval = session.core.config.pollProbeInterval().toMillis();
        if (interval > 0) {
            session.core.schedule(() -> probe(poll), interval);
        }
    }

    /** Probes a parked poll for a vanished client (see {@link ParkedPoll}) until it is answered. */
    private void probe(ParkedPoll poll) {
        synchronized (session.lock) {
            if (pendingPoll != poll) {
                return;
            }
        }
        if (poll.probe()) {
            scheduleProbe(poll);
        }
    }

    /** A write of a parked poll failed: its client is gone, so the session ends now rather than at ping timeout. */
    private void onPollClientGone() {
        synchronized (session.lock) {
            if (!session.currentLocked(this) || session.closedLocked()) {
                return;
            }
        }
        log.debug(
                "Closing Engine.IO session of {} ({}): its poll's connection closed",
                session.remoteAddress(),
                session.id);
        session.close(EngineIoCloseReason.TRANSPORT_ERROR);
    }

    /** Whether the session moved to another transport (requests here are then bad requests). */
    private boolean upgradedAway() {
        synchronized (session.lock) {
            return !session.currentLocked(this);
        }
    }

    /** Ends a poll that waits during an upgrade with a noop, as the Node.js server does. */
    private void releasePollDuringUpgrade() {
        ParkedPoll poll;
        synchronized (session.lock) {
            if (pendingPoll == null || !session.currentLocked(this)) {
                return;
            }
            poll = pendingPoll;
            pendingPoll = null;
        }
        poll.answer(NOOP_BODY);
    }

    /** A waiting poll timed out (answered with a noop) or its client went away (the session closes). */
    void onPollAborted(AsyncContext ac, boolean timedOut) {
        boolean wasPending;
        ParkedPoll poll;
        synchronized (session.lock) {
            poll = pendingPoll;
            wasPending = poll != null && poll.ac == ac;
            if (wasPending) {
                pendingPoll = null;
            }
        }
        if (!wasPending) {
            return;
        }
        if (timedOut) {
            poll.answer(NOOP_BODY);
        } else {
            ServletResponses.completeQuietly(ac);
            session.close(EngineIoCloseReason.TRANSPORT_ERROR);
        }
    }

    // ---------------------------------------------------------------- POST

    /** A POST: starts the non-blocking read of its body. */
    void onPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // no overdue check here: the body may carry the pong
        boolean overlap = false;
        synchronized (session.lock) {
            if (session.closedLocked() || !session.currentLocked(this)) {
                ServletResponses.writeError(
                        resp, session.currentLocked(this) ? EngineError.UNKNOWN_SID : EngineError.BAD_REQUEST);
                return;
            }
            if (postInProgress) {
                overlap = true;
            } else {
                postInProgress = true;
            }
        }
        if (overlap) {
            session.protocolError("overlapping POST requests");
            ServletResponses.writeError(resp, EngineError.BAD_REQUEST);
            return;
        }
        int maxPayload = session.core.config.maxPayload();
        if (req.getContentLengthLong() > maxPayload) {
            payloadTooLarge(resp);
            return;
        }
        AsyncContext ac = req.startAsync();
        ac.setTimeout(POST_TIMEOUT_MS);
        new PostBodyReader(this, ac, maxPayload).start();
    }

    void payloadTooLarge(HttpServletResponse resp) throws IOException {
        postDone();
        session.payloadTooLarge("payload");
        ServletResponses.writeError(resp, EngineError.PAYLOAD_TOO_LARGE);
    }

    /** The POST body arrived: decode the payload, then answer {@code ok} or 400. */
    void onPostBody(AsyncContext ac, byte[] body) {
        postDone();
        boolean ok = true;
        for (EngineParser.Packet p : EngineParser.decodePayload(new String(body, StandardCharsets.UTF_8))) {
            ok = session.onPacket(p, this);
            if (!ok) {
                break;
            }
        }
        if (ok) {
            // answered after the packets were handled: the client gets backpressure, and what the handlers
            // sent is already queued when it polls next
            session.inbox.execute(() -> ServletResponses.writeAsync(ac, 200, "text/html", OK_BODY));
        } else {
            ServletResponses.writeAsync(ac, EngineError.BAD_REQUEST);
        }
    }

    void onPostFailed(AsyncContext ac) {
        postDone();
        ServletResponses.completeQuietly(ac);
        session.close(EngineIoCloseReason.TRANSPORT_ERROR);
    }

    private void postDone() {
        synchronized (session.lock) {
            postInProgress = false;
        }
    }

    // ---------------------------------------------------------------- session events

    @Override
    void onClientClose() {
        synchronized (session.lock) {
            // a poll racing this close (sent alongside it) still gets the noop it would have got
            lingerForOnePoll = pendingPoll == null;
        }
    }

    @Override
    boolean keepsSessionAfterClose(EngineIoCloseReason reason) {
        synchronized (session.lock) {
            if (!lingerForOnePoll) {
                return false;
            }
        }
        session.core.schedule(this::endLinger, session.core.config.pingTimeout().toMillis());
        return true;
    }

    private void endLinger() {
        synchronized (session.lock) {
            lingerForOnePoll = false;
        }
        session.core.remove(session);
    }

    @Override
    void onSessionClosed(EngineIoCloseReason reason) {
        ParkedPoll poll;
        synchronized (session.lock) {
            poll = pendingPoll;
            pendingPoll = null;
        }
        if (poll != null) {
            poll.answer(reason == EngineIoCloseReason.TRANSPORT_CLOSE ? NOOP_BODY : CLOSE_BODY);
        }
    }

    @Override
    void releaseForUpgrade() {
        ParkedPoll poll;
        synchronized (session.lock) {
            poll = pendingPoll;
            pendingPoll = null;
        }
        if (poll != null) {
            poll.answer(NOOP_BODY);
        }
    }

    @Override
    void discard() {
        ParkedPoll poll;
        synchronized (session.lock) {
            poll = pendingPoll;
            pendingPoll = null;
        }
        if (poll != null) {
            poll.answer(EngineError.BAD_REQUEST);
        }
    }
}
