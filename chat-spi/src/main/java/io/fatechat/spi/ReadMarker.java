package io.fatechat.spi;

import java.util.Objects;

/**
 * How far a member has read a conversation.
 *
 * @param user the member's e-mail, lower-cased
 * @param messageId the id of the last message the member has read
 */
public record ReadMarker(String user, String messageId) {

    public ReadMarker {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(messageId, "messageId");
    }
}
