package io.fatechat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.fatechat.spi.ChatException;
import io.fatechat.spi.ErrorCode;

/**
 * Refuses a namespace CONNECT. The client receives {@code CONNECT_ERROR} with {@code {"message": message}} and,
 * when given, {@code "data": data}.
 */
public class ConnectRefusedException extends ChatException {

    private static final long serialVersionUID = 1L;

    private final transient JsonNode data;

    public ConnectRefusedException(String message) {
        this(message, null);
    }

    public ConnectRefusedException(String message, JsonNode data) {
        super(ErrorCode.UNAUTHORIZED, message);
        this.data = data;
    }

    /** Extra detail sent to the client, or {@code null}. */
    public JsonNode data() {
        return data;
    }
}
