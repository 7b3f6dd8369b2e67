package io.fatechat.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One message of a room or a private conversation, as stored and delivered.
 *
 * @param id globally unique and time-ordered: comparing ids as strings orders messages by creation
 *        (a UUIDv7 in canonical lower-case form)
 * @param conversation where it was posted
 * @param sender the sender's e-mail, taken from the authenticated session
 * @param text the message text
 * @param event true for a system message such as "x joined the room"
 * @param createdAt when the engine accepted it
 * @param clientId the client's own id for de-duplicating re-sends, or null
 */
public record ChatMessage(
        String id,
        ConversationId conversation,
        String sender,
        String text,
        boolean event,
        Instant createdAt,
        String clientId) {

    public ChatMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id must not be empty");
        }
        if (clientId != null && clientId.isEmpty()) {
            clientId = null;
        }
    }
}
