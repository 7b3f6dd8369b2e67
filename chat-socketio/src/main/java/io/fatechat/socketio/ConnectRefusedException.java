package io.fatechat.socketio;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Refuses a namespace CONNECT from a {@link ConnectAuthorizer}. The client receives {@code CONNECT_ERROR} with
 * {@code {"message": message}} and, when given, {@code "data": data}; nothing else of the exception (no stack
 * trace, no cause) leaves the server. The message is therefore what a client may see, e.g. {@code unauthorized}.
 *
 * <p>Unchecked and independent of the chat's exceptions: a host maps its own failures to this (the chat binding
 * maps every token failure to {@code unauthorized}).
 */
public class ConnectRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient JsonNode data;

    public ConnectRefusedException(String message) {
        this(message, null);
    }

    public ConnectRefusedException(String message, JsonNode data) {
        // no stack trace: refusals are expected and frequent, and the trace would never be used
        super(message, null, false, false);
        this.data = data;
    }

    /** Extra detail sent to the client, or {@code null}. */
    public JsonNode data() {
        return data;
    }
}
