package io.fatechat.socketio;

/**
 * How an {@link EngineSession} reaches its client (as engine.io's {@code Transport}): HTTP long-polling or a
 * WebSocket. The session calls these methods; a transport's state is guarded by the session's lock, methods
 * named {@code ...Locked} run under it, the others take it themselves. None blocks.
 */
abstract class Transport {

    final EngineSession session;

    Transport(EngineSession session) {
        this.session = session;
    }

    /** {@code polling} or {@code websocket}. */
    abstract String name();

    /**
     * True for a transport that pushes frames as they are queued (WebSocket), false for one that waits for the
     * client to ask (polling). A streaming transport cannot be upgraded, and a protocol error on it still
     * delivers what was queued before.
     */
    abstract boolean streaming();

    /** Under the lock: a write is under way whose completion takes the next frames itself. */
    boolean busyLocked() {
        return false;
    }

    /** Takes queued frames from the session and writes them, if the transport can now. */
    abstract void flush();

    /** A client's close packet arrived over this transport. */
    void onClientClose() {}

    /**
     * Whether the session stays findable a while after closing for {@code reason} (the transport then removes it
     * itself); false removes it at once.
     */
    boolean keepsSessionAfterClose(EngineIoCloseReason reason) {
        return false;
    }

    /** The session closed for {@code reason}: tell the client as this transport can, and release it. */
    abstract void onSessionClosed(EngineIoCloseReason reason);

    /** As the probe of an upgrade: answers the client's probe ping directly, ahead of the queue. */
    void sendProbeAnswer(Frame pong) {
        throw new UnsupportedOperationException(name() + " cannot be an upgrade probe");
    }

    /** Another transport's probe succeeded: end what waits so the client can switch. */
    void releaseForUpgrade() {}

    /** The session moved to another transport; requests that still come here are refused. */
    void discard() {}

    /** As a failed probe, or a probe of a session that closed: closes this transport alone. */
    void abort(String why) {}
}
