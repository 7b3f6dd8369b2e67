package io.fatechat.spi;

import java.util.Objects;

/**
 * Root of every exception Fatechat throws on purpose. Unchecked, like Jdbi's {@code JdbiException}.
 *
 * <p>The {@linkplain #getMessage() message} is written to be safe to show a client: it names the bad value or
 * the missing thing but never carries a stack trace, SQL or a password.
 */
public class ChatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ChatException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ChatException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The refusal reason for clients and metrics. */
    public ErrorCode code() {
        return code;
    }
}
