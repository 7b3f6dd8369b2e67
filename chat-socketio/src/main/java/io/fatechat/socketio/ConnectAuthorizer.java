package io.fatechat.socketio;

/**
 * Decides whether a client may join a namespace (Socket.IO middleware). Runs on the worker pool before the
 * socket exists; {@link SocketIoHandshake#auth()} is the client's CONNECT payload. Throw a
 * {@link ConnectRefusedException} to refuse: the client gets {@code CONNECT_ERROR} with
 * {@code {"message": e.getMessage()}} and no event of that socket is processed. Any other exception refuses with
 * {@code "internal error"} and is logged.
 *
 * <p>Return a {@link ConnectAcceptance} instead of a bare principal to also give the session a private id for
 * connection state recovery (see {@link ConnectAcceptance}).
 */
@FunctionalInterface
public interface ConnectAuthorizer {

    /**
     * @return the principal to attach to the socket ({@link SocketIoSocket#principal()}), a
     *         {@link ConnectAcceptance} carrying it and a recovery pid, or {@code null} to accept without one (a
     *         later authorizer may still supply it)
     */
    Object authorize(SocketIoHandshake handshake);
}
