package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.spi.ErrorCode;
import io.fatechat.spi.MessageTooLongException;
import io.fatechat.spi.NotInRoomException;
import io.fatechat.spi.UnknownRoomException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ChatFailureTest {

    @Test
    void chatExceptionsKeepTheirCodeAndMessage() {
        assertThat(ChatFailure.of(new MessageTooLongException(2001, 2000), "sendMessage", "a@x.io"))
                .isEqualTo(new ChatFailure(
                        ErrorCode.MESSAGE_TOO_LONG, "message: is 2001 characters long, the limit is 2000"));
        assertThat(ChatFailure.of(new UnknownRoomException("nope"), "joinRoom", "a@x.io"))
                .isEqualTo(new ChatFailure(ErrorCode.NOT_FOUND, "unknown room 'nope'"));
    }

    @Test
    void unwrapsAsyncWrappers() {
        Throwable wrapped = new CompletionException(new ExecutionException(new NotInRoomException("r")));
        assertThat(ChatFailure.of(wrapped, "sendMessage", "a@x.io").code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
    }

    @Test
    void unexpectedFailuresBecomeAGenericInternalError() {
        ChatFailure failure = ChatFailure.of(
                new CompletionException(new IllegalStateException("db password=hunter2")), "sendMessage", "a@x.io");
        assertThat(failure).isEqualTo(new ChatFailure(ErrorCode.INTERNAL, "internal error"));
        assertThat(failure.message()).doesNotContain("hunter2");
    }
}
