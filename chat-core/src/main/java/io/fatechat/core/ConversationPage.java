package io.fatechat.core;

import io.fatechat.spi.Conversation;
import java.util.List;

/**
 * One page of a user's conversations, newest activity first.
 *
 * @param conversations the page
 * @param next the cursor of the following page ({@code after}), or null when this is the last page
 */
public record ConversationPage(List<Conversation> conversations, String next) {

    public ConversationPage {
        conversations = List.copyOf(conversations);
    }
}
