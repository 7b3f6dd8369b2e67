package io.fatechat.ws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fatechat.core.ConversationPage;
import io.fatechat.core.SendReceipt;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The JSON shapes of the wire contract (docs/protocol.md): server events, acks and {@code chatError}. Pure functions, so
 * the contract is unit-tested without a server.
 */
final class ChatWireFormat {

    /** ISO-8601 in UTC with exactly three fraction digits, as JavaScript's {@code Date.toISOString()} writes. */
    private static final DateTimeFormatter ISO_MILLIS_UTC = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ChatWireFormat() {}

    static String timestamp(Instant instant) {
        return ISO_MILLIS_UTC.format(instant);
    }

    /** {@code receiveMessage}: {id, roomName, messageText, userMail, isEvent, createdAt}. */
    static ObjectNode roomMessage(ChatMessage message) {
        ObjectNode node = JSON.objectNode();
        node.put("id", message.id());
        node.put("roomName", message.conversation().roomName());
        node.put("messageText", message.text());
        node.put("userMail", message.sender());
        node.put("isEvent", message.event());
        node.put("createdAt", timestamp(message.createdAt()));
        return node;
    }

    /** {@code recentMessages}: the room messages in the order given (newest first from the engine). */
    static ArrayNode roomMessages(List<ChatMessage> messages) {
        ArrayNode array = JSON.arrayNode(messages.size());
        for (ChatMessage message : messages) {
            array.add(roomMessage(message));
        }
        return array;
    }

    /** {@code privateMessage}: {id, from, to, messageText, createdAt}. */
    static ObjectNode privateMessage(ChatMessage message) {
        ObjectNode node = JSON.objectNode();
        node.put("id", message.id());
        node.put("from", message.sender());
        node.put("to", recipient(message));
        node.put("messageText", message.text());
        node.put("createdAt", timestamp(message.createdAt()));
        return node;
    }

    /** The member of a private conversation who is not the sender (the sender itself for a note to self). */
    static String recipient(ChatMessage message) {
        ConversationId conversation = message.conversation();
        List<String> members = conversation.members();
        String sender = message.sender().toLowerCase(Locale.ROOT);
        return members.get(0).equals(sender) ? members.get(1) : members.get(0);
    }

    /** {@code onlineUsers}: {roomName, users}. */
    static ObjectNode onlineUsers(String roomName, List<String> users) {
        ObjectNode node = JSON.objectNode();
        node.put("roomName", roomName);
        ArrayNode array = node.putArray("users");
        users.forEach(array::add);
        return node;
    }

    /** {@code typing}: {roomName, userMail}. */
    static ObjectNode typing(String roomName, String user) {
        ObjectNode node = JSON.objectNode();
        node.put("roomName", roomName);
        node.put("userMail", user);
        return node;
    }

    /**
     * One conversation as {@code user} sees it: {id, type ("room" or "private"), roomName or with (the other
     * user), lastMessage (a receiveMessage or privateMessage payload, or null), unreadCount, readMessageId (or
     * null), activityAt}. The id is what {@code POST /api/conversations/{id}/read} takes.
     */
    static ObjectNode conversation(String user, Conversation conversation) {
        ObjectNode node = JSON.objectNode();
        ConversationId id = conversation.id();
        node.put("id", id.key());
        node.put("type", id.isRoom() ? "room" : "private");
        name(node, user, id);
        ChatMessage last = conversation.lastMessage();
        if (last == null) {
            node.putNull("lastMessage");
        } else {
            node.set("lastMessage", id.isRoom() ? roomMessage(last) : privateMessage(last));
        }
        node.put("unreadCount", conversation.unreadCount());
        node.put("readMessageId", conversation.readMessageId());
        node.put("activityAt", timestamp(conversation.activityAt()));
        return node;
    }

    /** A page of conversations: {conversations: [...], next (the cursor of the next page, or null)}. */
    static ObjectNode conversations(String user, ConversationPage page) {
        ObjectNode node = JSON.objectNode();
        ArrayNode array = node.putArray("conversations");
        for (Conversation conversation : page.conversations()) {
            array.add(conversation(user, conversation));
        }
        node.put("next", page.next());
        return node;
    }

    /** {@code unreadCount}, to the sockets of {@code user}: {conversation, roomName or with, unreadCount, readMessageId}. */
    static ObjectNode unreadCount(String user, ConversationId conversation, long count, String readMessageId) {
        ObjectNode node = JSON.objectNode();
        node.put("conversation", conversation.key());
        name(node, user, conversation);
        node.put("unreadCount", count);
        node.put("readMessageId", readMessageId);
        return node;
    }

    /** {@code messageRead}, to the other members: {conversation, roomName (rooms only), userMail, messageId}. */
    static ObjectNode messageRead(ConversationId conversation, String reader, String messageId) {
        ObjectNode node = JSON.objectNode();
        node.put("conversation", conversation.key());
        if (conversation.isRoom()) {
            node.put("roomName", conversation.roomName());
        }
        node.put("userMail", reader);
        node.put("messageId", messageId);
        return node;
    }

    /** The other member of a private conversation as {@code user} sees it (themself for a note to self). */
    static String otherMember(String user, ConversationId conversation) {
        List<String> members = conversation.members();
        String me = user.toLowerCase(Locale.ROOT);
        return members.get(0).equals(me) ? members.get(1) : members.get(0);
    }

    private static void name(ObjectNode node, String user, ConversationId id) {
        if (id.isRoom()) {
            node.put("roomName", id.roomName());
        } else {
            node.put("with", otherMember(user, id));
        }
    }

    /** {@code {"ok":true}}, to which a handler adds its fields. */
    static ObjectNode ok() {
        return JSON.objectNode().put("ok", true);
    }

    /** The ack of an accepted send: {ok, id, createdAt}. */
    static ObjectNode sent(SendReceipt receipt) {
        return ok().put("id", receipt.id()).put("createdAt", timestamp(receipt.createdAt()));
    }

    /** {@code {"ok":false,"error":{"code":...,"message":...}}}. */
    static ObjectNode errorAck(ChatFailure failure) {
        ObjectNode node = JSON.objectNode().put("ok", false);
        node.set("error", chatError(failure));
        return node;
    }

    /** The {@code chatError} event of a refused request that had no ack: {code, message}. */
    static ObjectNode chatError(ChatFailure failure) {
        return JSON.objectNode().put("code", failure.code().wireName()).put("message", failure.message());
    }
}
