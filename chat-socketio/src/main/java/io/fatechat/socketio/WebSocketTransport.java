package io.fatechat.socketio;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jakarta WebSocket carrying a session, or probing to take it over from polling. One outstanding async send
 * at a time (the Jakarta rule); its completion sends the next frame. State guarded by the session's lock.
 */
final class WebSocketTransport extends Transport {

    private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);
    private static final long CLOSE_GRACE_MS = 1000;

    private final Session ws;
    private final SendHandler sendHandler = this::onSent;

    // guarded by session.lock
    private boolean sending;
    private Thread loopThread;
    /** The close code when it differs from the one of the disconnect reason. */
    private CloseReason.CloseCode closeCode;

    WebSocketTransport(EngineSession session, Session ws) {
        super(session);
        this.ws = ws;
    }

    Session webSocket() {
        return ws;
    }

    @Override
    String name() {
        return "websocket";
    }

    @Override
    boolean streaming() {
        return true;
    }

    @Override
    boolean busyLocked() {
        return sending;
    }

    // ---------------------------------------------------------------- outbound

    /** Sends queued frames, one outstanding async send at a time. */
    @Override
    void flush() {
        Thread me = Thread.currentThread();
        for (; ; ) {
            Frame f;
            synchronized (session.lock) {
                if (!session.currentLocked(this) || sending || session.closedLocked()) {
                    return;
                }
                f = session.pollLocked();
                if (f == null) {
                    return;
                }
                sending = f != Frame.CLOSE;
                loopThread = me;
            }
            if (f == Frame.CLOSE) {
                session.closeDelivered();
                return;
            }
            try {
                if (f.isBinary()) {
                    ws.getAsyncRemote().sendBinary(ByteBuffer.wrap(f.binary), sendHandler);
                } else {
                    ws.getAsyncRemote().sendText(f.text, sendHandler);
                }
            } catch (RuntimeException e) {
                log.debug("WebSocket send to {} failed", session.remoteAddress(), e);
                session.close(EngineIoCloseReason.TRANSPORT_ERROR);
                return;
            }
            synchronized (session.lock) {
                if (loopThread == me) {
                    loopThread = null;
                }
                if (sending) {
                    return; // completes later; its handler continues the loop
                }
            }
        }
    }

    private void onSent(SendResult result) {
        boolean inline;
        synchronized (session.lock) {
            sending = false;
            inline = loopThread == Thread.currentThread();
        }
        if (!result.isOK()) {
            log.debug("WebSocket send to {} failed", session.remoteAddress(), result.getException());
            session.close(EngineIoCloseReason.TRANSPORT_ERROR);
            return;
        }
        if (!inline) {
            flush();
        }
    }

    @Override
    void sendProbeAnswer(Frame pong) {
        ws.getAsyncRemote().sendText(pong.text, r -> {});
    }

    // ---------------------------------------------------------------- inbound (container thread of this socket)

    void onText(String text) {
        if (session.isProbe(this)) {
            session.onProbePacket(this, EngineParser.decodePacket(text));
            return;
        }
        if (!active()) {
            return;
        }
        session.onPacket(EngineParser.decodePacket(text), this);
    }

    void onBinary(byte[] data) {
        if (session.isProbe(this)) {
            session.abortProbe(this);
            return;
        }
        if (active()) {
            session.deliverBinary(data);
        }
    }

    private boolean active() {
        synchronized (session.lock) {
            return session.activeLocked(this);
        }
    }

    /** A message over maxPayload arrived: closed with 1009 (message too big). */
    void onTooBig() {
        if (session.isProbe(this)) {
            session.abortProbe(this);
            return;
        }
        synchronized (session.lock) {
            if (!session.activeLocked(this)) {
                return;
            }
            closeCode = CloseReason.CloseCodes.TOO_BIG;
        }
        session.payloadTooLarge("message");
    }

    void onClosed(CloseReason reason) {
        if (session.isProbe(this)) {
            session.abortProbe(this);
            return;
        }
        boolean active;
        synchronized (session.lock) {
            // not once we closed it ourselves: our own 1009 comes back here and was counted already
            active = session.currentLocked(this) && !session.closedLocked();
        }
        if (!active) {
            return;
        }
        if (reason != null && reason.getCloseCode().getCode() == CloseReason.CloseCodes.TOO_BIG.getCode()) {
            session.payloadTooLarge("message");
        } else {
            session.close(EngineIoCloseReason.TRANSPORT_CLOSE);
        }
    }

    void onError(Throwable error) {
        log.debug("WebSocket error from {}", session.remoteAddress(), error);
        if (session.isProbe(this)) {
            session.abortProbe(this);
            return;
        }
        boolean current;
        synchronized (session.lock) {
            current = session.currentLocked(this);
        }
        if (current) {
            session.close(EngineIoCloseReason.TRANSPORT_ERROR);
        }
    }

    // ---------------------------------------------------------------- close

    @Override
    void onSessionClosed(EngineIoCloseReason reason) {
        CloseReason.CloseCode code;
        synchronized (session.lock) {
            code = closeCode != null ? closeCode : closeCode(reason);
        }
        close(session.core.closer(), ws, code, reason.wireName());
    }

    @Override
    void abort(String why) {
        close(session.core.closer(), ws, CloseReason.CloseCodes.NORMAL_CLOSURE, why);
    }

    private static CloseReason.CloseCode closeCode(EngineIoCloseReason reason) {
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

    /**
     * Starts the WebSocket close handshake. Some stock clients (the Java client on OkHttp) never answer a
     * server's close frame, so the idle timeout is shortened first: the container then drops the TCP
     * connection after {@link #CLOSE_GRACE_MS} and the client notices.
     */
    static void close(Executor closer, Session session, CloseReason.CloseCode code, String reason) {
        // Session.close blocks until the close frame is written (behind a slow consumer's backlog, say), so it
        // runs on the closer threads, never on an I/O, worker or timer thread
        try {
            closer.execute(() -> closeNow(session, code, reason));
        } catch (RejectedExecutionException e) {
            closeNow(session, code, reason);
        }
    }

    private static void closeNow(Session session, CloseReason.CloseCode code, String reason) {
        try {
            if (session.isOpen()) {
                session.setMaxIdleTimeout(CLOSE_GRACE_MS);
                session.close(new CloseReason(code, reason));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Closing a WebSocket failed", e);
        }
    }
}
