package io.fatechat.socketio;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The ping/pong of one session. Guarded by the session's lock; times are {@link System#nanoTime()} based.
 *
 * <p>Until the ping reaches the client the pong deadline stays at the scheduled ping time plus the ping timeout
 * (a late timer or a client that stopped polling cannot extend a session's life); once a transport takes the
 * ping, the client gets the full ping timeout from then on.
 */
final class Heartbeat {

    private final EngineSession session;
    private final long intervalMs;
    private final long timeoutMs;

    // guarded by session.lock
    /** When the next pong is due at the latest (ping due time + ping timeout). */
    private long pongDeadline;

    private boolean pingSent;
    private long nextPingDue;
    private boolean pingWasDelivered;
    private ScheduledFuture<?> timer;

    Heartbeat(EngineSession session) {
        this.session = session;
        this.intervalMs = session.core.config.pingInterval().toMillis();
        this.timeoutMs = session.core.config.pingTimeout().toMillis();
    }

    void start() {
        synchronized (session.lock) {
            nextPingDue = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMs);
            pongDeadline = nextPingDue + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            timer = session.core.schedule(this::sendPing, intervalMs);
        }
    }

    private void sendPing() {
        synchronized (session.lock) {
            if (!session.isOpenLocked()) {
                return;
            }
            pingSent = true;
            timer = session.core.schedule(this::checkPong, remainingMillis());
        }
        session.send(Frame.PING);
    }

    /** Under the lock: a transport took the ping frame. */
    void pingDeliveredLocked() {
        if (pingSent) {
            pingWasDelivered = true;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
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
        return pongDeadline + TimeUnit.MILLISECONDS.toNanos(Math.min(timeoutMs, 1000));
    }

    private long remainingMillis() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(effectiveDeadline() - System.nanoTime())) + 1;
    }

    private void checkPong() {
        synchronized (session.lock) {
            if (!session.isOpenLocked() || !pingSent) {
                return;
            }
            if (System.nanoTime() - effectiveDeadline() < 0) {
                timer = session.core.schedule(this::checkPong, remainingMillis());
                return;
            }
        }
        session.close(EngineIoCloseReason.PING_TIMEOUT);
    }

    /** True when a pong is late; checked on every poll so a late timer thread cannot let a dead session live. */
    boolean pongOverdue() {
        synchronized (session.lock) {
            return session.isOpenLocked() && System.nanoTime() - effectiveDeadline() >= 0;
        }
    }

    void onPong() {
        synchronized (session.lock) {
            if (!session.isOpenLocked() || !pingSent) {
                return;
            }
            pingSent = false;
            pingWasDelivered = false;
            // a ping every pingInterval, counted from the previous ping rather than from the pong, so the
            // cadence does not drift by the round trip
            long now = System.nanoTime();
            nextPingDue += TimeUnit.MILLISECONDS.toNanos(intervalMs);
            if (nextPingDue - now < 0) {
                nextPingDue = now;
            }
            pongDeadline = nextPingDue + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            EngineSession.cancel(timer);
            timer = session.core.schedule(this::sendPing, TimeUnit.NANOSECONDS.toMillis(nextPingDue - now));
        }
    }

    /** Under the lock: the session closed. */
    void stopLocked() {
        pongDeadline = 0;
        EngineSession.cancel(timer);
    }
}
