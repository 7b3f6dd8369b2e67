package io.fatechat.socketio;

import java.util.Objects;

/**
 * What a {@link ConnectAuthorizer} may return to accept a CONNECT with more than a principal: the private session
 * id ({@code pid}) of Socket.IO v5 connection state recovery. The server then answers the CONNECT with
 * {@code {"sid": ..., "pid": ...}} instead of {@code {"sid": ...}}; stock clients (socket.io-client ≥ 4.6 with
 * {@code connectionStateRecovery}) keep the pid and send it back, with the offset of the last packet they got,
 * in the auth payload of their next CONNECT ({@link SocketIoHandshake#recoveryPid()},
 * {@link SocketIoHandshake#recoveryOffset()}). A client whose previous pid equals the new one reports
 * {@code socket.recovered === true}.
 *
 * <p>This server only carries the pid; the application decides what it means: keeping the session for a
 * window, restoring rooms, replaying what the client missed, and appending an offset as the last argument of the
 * events it emits (the client stores the last argument of an event as its offset when it holds a pid).
 *
 * @param principal what {@link SocketIoSocket#principal()} returns, or {@code null}
 * @param pid       the private session id for the CONNECT answer, or {@code null} for none (recovery off)
 */
public record ConnectAcceptance(Object principal, String pid) {

    public ConnectAcceptance {
        if (pid != null && pid.isBlank()) {
            throw new IllegalArgumentException("pid must not be blank, got '" + pid + "'");
        }
    }

    /** Accepts with {@code principal} and recovery pid {@code pid}. */
    public static ConnectAcceptance of(Object principal, String pid) {
        return new ConnectAcceptance(principal, Objects.requireNonNull(pid, "pid"));
    }
}
