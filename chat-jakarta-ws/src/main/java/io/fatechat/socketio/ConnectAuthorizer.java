package io.fatechat.socketio;

import io.fatechat.spi.ChatException;

/**
 * Decides whether a client may join a namespace (Socket.IO middleware). Runs on the worker pool before the
 * socket exists. Throw a {@link ChatException} (e.g. {@link ConnectRefusedException}) to refuse: the client gets
 * {@code CONNECT_ERROR} with {@code {"message": e.getMessage()}} and no event of that socket is processed. Any
 * other exception refuses with {@code "internal error"} and is logged.
 */
@FunctionalInterface
public interface ConnectAuthorizer {

    /**
     * @return the principal to attach to the socket ({@link SocketIoSocket#principal()}), or {@code null} to
     *         accept without one (a later authorizer may still supply it)
     */
    Object authorize(SocketIoHandshake handshake);
}
