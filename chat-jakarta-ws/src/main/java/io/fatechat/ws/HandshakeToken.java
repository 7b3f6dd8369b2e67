package io.fatechat.ws;

import io.fatechat.socketio.SocketIoHandshake;
import java.util.regex.Pattern;

/**
 * Finds the bearer token of a Socket.IO handshake. First match wins: the CONNECT auth payload's {@code token},
 * the {@code Authorization} header (with or without a {@code Bearer} prefix in any case, as the original
 * front-end sends {@code BEARER}), the {@code token} query parameter. Blank values count as absent.
 */
final class HandshakeToken {

    private static final Pattern BEARER_PREFIX = Pattern.compile("^(?i:bearer)(?:\\s+|$)");

    private HandshakeToken() {
    }

    /** The token, or {@code null} when the handshake carries none. */
    static String of(SocketIoHandshake handshake) {
        String token = nonBlank(handshake.authField("token"));
        if (token == null) {
            token = fromAuthorizationHeader(handshake.header("Authorization"));
        }
        if (token == null) {
            token = nonBlank(handshake.queryParam("token"));
        }
        return token;
    }

    static String fromAuthorizationHeader(String header) {
        String value = nonBlank(header);
        if (value == null) {
            return null;
        }
        return nonBlank(BEARER_PREFIX.matcher(value).replaceFirst(""));
    }

    private static String nonBlank(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
