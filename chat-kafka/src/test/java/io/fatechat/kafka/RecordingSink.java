package io.fatechat.kafka;

import io.fatechat.core.ChatEventSink;
import io.fatechat.spi.ChatMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What one node's transport would have received, kept for assertions. */
final class RecordingSink implements ChatEventSink {

    record Typing(String room, String user, String originConnectionId) {}

    private final List<ChatMessage> roomMessages = Collections.synchronizedList(new ArrayList<>());
    private final List<ChatMessage> privateMessages = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, List<String>> onlineUsers = new ConcurrentHashMap<>();
    private final List<Typing> typing = Collections.synchronizedList(new ArrayList<>());

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
        onlineUsers.put(room, List.copyOf(users));
    }

    @Override
    public void typing(String room, String user, String originConnectionId) {
        typing.add(new Typing(room, user, originConnectionId));
    }

    List<ChatMessage> roomMessages() {
        synchronized (roomMessages) {
            return List.copyOf(roomMessages);
        }
    }

    /** Texts of the non-event messages of {@code room}, in delivery order. */
    List<String> roomTexts(String room) {
        return roomMessages().stream()
                .filter(m -> !m.event() && m.conversation().roomName().equals(room))
                .map(ChatMessage::text)
                .toList();
    }

    List<ChatMessage> privateMessages() {
        synchronized (privateMessages) {
            return List.copyOf(privateMessages);
        }
    }

    /** The last online-users list seen for {@code room}; empty when none arrived. */
    List<String> onlineUsers(String room) {
        return onlineUsers.getOrDefault(room, List.of());
    }

    List<Typing> typing() {
        synchronized (typing) {
            return List.copyOf(typing);
        }
    }
}
