package io.fatechat.core;

import io.fatechat.spi.ChatException;
import io.fatechat.spi.ConversationId;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Shared set-up for engine tests: cheap bcrypt and a fixed secret, so tokens verify across test nodes. */
final class TestEngines {

    static final byte[] SECRET = "a test secret of at least 32 bytes!!".getBytes(StandardCharsets.UTF_8);

    private TestEngines() {}

    static ChatEngine.Builder builder() {
        return ChatEngine.builder().bcryptCost(4).tokenSecret(SECRET);
    }

    /** The client id as the engine stores and publishes it for a room message (scoped to its conversation). */
    static String storedClientId(String room, String clientId) {
        return Outbox.scopedClientId(ConversationId.room(room), clientId);
    }

    /** Waits for a send and returns its receipt, rethrowing a refusal as itself. */
    static SendReceipt await(CompletionStage<SendReceipt> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ChatException chat) {
                throw chat;
            }
            throw new AssertionError("send failed with a non-ChatException", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("send did not complete", e);
        }
    }
}
