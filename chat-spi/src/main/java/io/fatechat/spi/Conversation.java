package io.fatechat.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One member's view of a conversation.
 *
 * @param id the conversation
 * @param lastMessage the newest counted message, or null when none was recorded yet
 * @param unreadCount how many counted messages are newer than the member's marker
 * @param readMessageId the member's marker: the id of the last message read, or null
 * @param activityAt when something last happened for the member: the newest message or the member's joining,
 *        whichever is later; lists are ordered by it
 */
public record Conversation(
        ConversationId id, ChatMessage lastMessage, long unreadCount, String readMessageId, Instant activityAt) {

    public Conversation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(activityAt, "activityAt");
        if (unreadCount < 0) {
            throw new IllegalArgumentException("unreadCount must not be negative: " + unreadCount);
        }
    }

    /** Where the next page of a conversation list starts when this is the last entry of the page. */
    public ConversationCursor cursor() {
        return new ConversationCursor(activityAt, id);
    }
}
