package io.fatechat.socketio;

import java.util.concurrent.ScheduledFuture;

/**
 * The upgrade of a session from polling to a WebSocket (as engine.io's {@code maybeUpgrade}): the new transport
 * is the probe until the client's {@code 2probe} is answered and its {@code 5} arrives; meanwhile the old one
 * holds its frames. Guarded by the session's lock.
 */
final class TransportUpgrade {

    private final EngineSession session;

    // guarded by session.lock
    private Transport probe;
    private boolean upgrading;
    private ScheduledFuture<?> timer;

    TransportUpgrade(EngineSession session) {
        this.session = session;
    }

    boolean accept(Transport candidate) {
        synchronized (session.lock) {
            if (!session.isOpenLocked() || session.transport().streaming() || probe != null) {
                return false;
            }
            probe = candidate;
            timer = session.core.schedule(
                    () -> abort(candidate), session.core.config.upgradeTimeout().toMillis());
            return true;
        }
    }

    boolean isProbe(Transport t) {
        synchronized (session.lock) {
            return probe == t;
        }
    }

    boolean upgradingLocked() {
        return upgrading;
    }

    void onProbePacket(Transport t, EngineParser.Packet p) {
        if (!p.isError() && p.type() == EnginePacketType.PING && "probe".equals(p.data())) {
            Transport old;
            synchronized (session.lock) {
                if (probe != t) {
                    return;
                }
                upgrading = true;
                old = session.transport();
            }
            t.sendProbeAnswer(Frame.of(EnginePacketType.PONG, "probe"));
            // lets the client end its polling cycle so it can send the upgrade packet
            old.releaseForUpgrade();
        } else if (!p.isError()
                && p.type() == EnginePacketType.UPGRADE
                && p.data().isEmpty()) {
            Transport old = null;
            synchronized (session.lock) {
                if (probe == t && upgrading && session.isOpenLocked()) {
                    old = session.switchTransportLocked(t);
                    probe = null;
                    upgrading = false;
                    EngineSession.cancel(timer);
                }
            }
            if (old == null) {
                abort(t);
                return;
            }
            old.discard();
            session.core.metrics.connectionUpgraded();
            session.flush();
        } else {
            abort(t);
        }
    }

    void abort(Transport t) {
        boolean resume = false;
        synchronized (session.lock) {
            if (probe != t) {
                return;
            }
            probe = null;
            if (upgrading) {
                upgrading = false;
                resume = true;
            }
            EngineSession.cancel(timer);
        }
        t.abort("upgrade aborted");
        if (resume) {
            session.flush();
        }
    }

    /** Under the lock: the session closed; returns the probe to close, or null. */
    Transport endLocked() {
        Transport p = probe;
        probe = null;
        EngineSession.cancel(timer);
        return p;
    }
}
