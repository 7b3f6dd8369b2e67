package io.fatechat.core;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Records everything a node delivers, for assertions with Awaitility. */
final class RecordingSink implements ChatEventSink {

    record OnlineUsers(String room, List<String> users) {}

    record Typing(String room, String user, String originConnectionId) {}

    final List<ChatMessage> roomMessages = new CopyOnWriteArrayList<>();
    final List<ChatMessage> privateMessages = new CopyOnWriteArrayList<>();
    final List<OnlineUsers> onlineUsers = new CopyOnWriteArrayList<>();
    final List<Typing> typing = new CopyOnWriteArrayList<>();

    record Unread(String user, ConversationId conversation, long count, String readMessageId) {}

    record Read(ConversationId conversation, String reader, String messageId) {}

    final List<Unread> unread = new CopyOnWriteArrayList<>();
    final List<Read> reads = new CopyOnWriteArrayList<>();

    @Override
    public void unreadCount(String user, ConversationId conversation, long unreadCount, String readMessageId) {
        unread.add(new Unread(user, conversation, unreadCount, readMessageId));
    }

    @Override
    public void messageRead(ConversationId conversation, String reader, String messageId) {
        reads.add(new Read(conversation, reader, messageId));
    }

    /** The latest unread count pushed for {@code user} in {@code conversation}, or -1. */
    long lastUnread(String user, ConversationId conversation) {
        long last = -1;
        for (Unread u : unread) {
            if (u.user().equals(user) && u.conversation().equals(conversation)) {
                last = u.count();
            }
        }
        return last;
    }

    @Override
    public void roomMessage(ChatMessage message) {
        roomMessages.add(message);
    }

    @Override
    public void privateMessage(ChatMessage message) {
        privateMessages.add(message);
    }

    @Override
    public void onlineUsers(String room, List<String> users) {
        onlineUsers.add(new OnlineUsers(room, users));
    }

    @Override
    public void typing(String room, String user, String originConnectionId) {
        typing.add(new Typing(room, user, originConnectionId));
    }

    /** Texts of the room's messages, in delivery order, event messages included. */
    List<String> texts(String room) {
        return roomMessages.stream()
                .filter(m ->
                        m.conversation().isRoom() && m.conversation().roomName().equals(room))
                .map(ChatMessage::text)
                .collect(Collectors.toList());
    }

    /** The latest online users delivered for {@code room}, or null. */
    List<String> lastOnlineUsers(String room) {
        List<String> last = null;
        for (OnlineUsers event : onlineUsers) {
            if (event.room().equals(room)) {
                last = event.users();
            }
        }
        return last;
    }
}
