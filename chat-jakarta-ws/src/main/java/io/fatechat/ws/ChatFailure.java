package io.fatechat.ws;

import io.fatechat.spi.ChatException;
import io.fatechat.spi.ErrorCode;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why a client request failed, as the client may see it: a {@link ChatException}'s code and message, or
 * {@code internal} with a generic message for anything unexpected (whose stack trace is logged here, once).
 */
record ChatFailure(ErrorCode code, String message) {

    private static final Logger LOG = LoggerFactory.getLogger(ChatFailure.class);

    static final String INTERNAL_MESSAGE = "internal error";

    ChatFailure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Classifies {@code failure} (unwrapping {@link CompletionException} and {@link ExecutionException}).
     * Unexpected failures are logged with their stack trace, naming the event and the user.
     */
    static ChatFailure of(Throwable failure, String event, String user) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ChatException chat) {
            String message = chat.getMessage();
            return new ChatFailure(chat.code(), message == null ? chat.code().wireName() : message);
        }
        LOG.error("Unexpected failure handling '{}' for {}", event, user, cause);
        return new ChatFailure(ErrorCode.INTERNAL, INTERNAL_MESSAGE);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
