package io.fatechat.socketio;

import java.nio.charset.StandardCharsets;

/**
 * The HTTP errors of the Engine.IO server, with the codes and messages of the Node.js server's
 * {@code {"code":...,"message":...}} bodies.
 */
enum EngineError {
    UNKNOWN_TRANSPORT(400, 0, "Transport unknown"),
    UNKNOWN_SID(400, 1, "Session ID unknown"),
    BAD_HANDSHAKE_METHOD(400, 2, "Bad handshake method"),
    BAD_REQUEST(400, 3, "Bad request"),
    FORBIDDEN(403, 4, "Forbidden"),
    UNSUPPORTED_PROTOCOL_VERSION(400, 5, "Unsupported protocol version"),
    PAYLOAD_TOO_LARGE(413, 3, "Payload too large"),
    /** One client address holds its maximum of sessions ({@code maxConnectionsPerAddress}). */
    TOO_MANY_CONNECTIONS(429, 4, "Too many connections"),
    SHUTTING_DOWN(503, 4, "Server shutting down");

    private final int status;
    private final int code;
    private final String message;
    private final byte[] body;

    EngineError(int status, int code, String message) {
        this.status = status;
        this.code = code;
        this.message = message;
        this.body = ("{\"code\":" + code + ",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    int status() {
        return status;
    }

    int code() {
        return code;
    }

    String message() {
        return message;
    }

    /** The JSON body; a copy, since callers hand it to containers. */
    byte[] body() {
        return body.clone();
    }
}
