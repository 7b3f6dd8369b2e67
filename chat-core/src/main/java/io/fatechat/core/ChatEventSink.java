package io.fatechat.core;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import java.util.List;

/**
 * Where the engine delivers what this node's clients must see. Implemented by a transport (the Socket.IO
 * binding), which keeps its own index of local connections by room and by user, so that each event is
 * encoded once and the same bytes are written to every local recipient.
 *
 * <p>Called on bus threads: implementations must not block.
 */
public interface ChatEventSink {

    /** A room message (or a join/leave event message): to every local connection that joined its room. */
    void roomMessage(ChatMessage message);

    /** A private message: to every local connection of its sender and of its recipient. */
    void privateMessage(ChatMessage message);

    /** The online users of {@code room} changed (or were asked for): to every local connection in that room. */
    void onlineUsers(String room, List<String> users);

    /** {@code user} is typing in {@code room}: to every local connection in that room except {@code originConnectionId}. */
    void typing(String room, String user, String originConnectionId);

    /**
     * The engine closed connection {@code connectionId} of this node and its client must be cut off:
     * {@code reason} is {@code rate_limited} (it kept flooding after refusals) or {@code unauthorized} (its
     * user's sessions were revoked). A transport disconnects the client; the default does nothing.
     */
    default void disconnect(String connectionId, String reason) {}

    /**
     * {@code user}'s unread count in {@code conversation} changed (a message arrived, or the user marked it read
     * on some socket): to every local connection of {@code user}. Sinks that show no unread counts ignore it.
     */
    default void unreadCount(String user, ConversationId conversation, long unreadCount, String readMessageId) {}

    /**
     * {@code reader} has read {@code conversation} up to {@code messageId}: to the local connections of the
     * other members (in the room, or the other member of a private conversation).
     */
    default void messageRead(ConversationId conversation, String reader, String messageId) {}

    /** A sink that drops everything, for REST-only hosts. */
    ChatEventSink NONE = new ChatEventSink() {
        @Override
        public void roomMessage(ChatMessage message) {}

        @Override
        public void privateMessage(ChatMessage message) {}

        @Override
        public void onlineUsers(String room, List<String> users) {}

        @Override
        public void typing(String room, String user, String originConnectionId) {}
    };
}
