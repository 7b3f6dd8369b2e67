package io.fatechat.ws;

import io.fatechat.socketio.SocketIoHandshake;

/**
 * Finds the bearer token of a Socket.IO handshake. First match wins: the CONNECT auth payload's {@code token},
 * the {@code Authorization} header (with or without a {@code Bearer} prefix in any case, as the original
 * front-end sends {@code BEARER}), the {@code token} query parameter. Blank values count as absent.
 */
final class HandshakeToken {

    private HandshakeToken() {}

    /** The token, or {@code null} when the handshake carries none. */
    static String of(SocketIoHandshake handshake) {
        String token = BearerToken.nonBlank(handshake.authField("token"));
        if (token == null) {
            token = BearerToken.fromAuthorizationHeader(handshake.header("Authorization"));
        }
        if (token == null) {
            token = BearerToken.nonBlank(handshake.queryParam("token"));
        }
        return token;
    }
}
