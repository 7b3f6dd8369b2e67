package io.fatechat.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes the events topic's payloads as small JSON objects with Jackson's streaming API (no reflection); the
 * messages topic carries {@link io.fatechat.spi.support.ChatMessageJson}, each message encoded once by its sender
 * and decoded once by every node.
 *
 * <p>Event: {@code {"v":1,"type":"revoke","room","user","before"}},
 * {@code {"v":1,"type":"presence","room","users":[...]}} or
 * {@code {"v":1,"type":"typing","room","user","connectionId"}}, or a conversation event with the conversation key
 * in {@code room}: {@code {"v":1,"type":"read","room","user","messageId","unread"}},
 * {@code {"v":1,"type":"recorded","room"}}, {@code {"v":1,"type":"member","room","user","member"}}. Unknown fields are ignored so that newer
 * nodes can add fields during a rolling upgrade.
 */
public final class WireCodec {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int VERSION = 1;

    private WireCodec() {}

    public static byte[] encodeEvent(BusEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            if (event instanceof BusEvent.Presence presence) {
                g.writeStringField("type", "presence");
                g.writeStringField("room", presence.room());
                g.writeArrayFieldStart("users");
                for (String user : presence.users()) {
                    g.writeString(user);
                }
                g.writeEndArray();
            } else if (event instanceof BusEvent.Typing typing) {
                g.writeStringField("type", "typing");
                g.writeStringField("room", typing.room());
                g.writeStringField("user", typing.user());
                g.writeStringField("connectionId", typing.connectionId());
            } else if (event instanceof BusEvent.Revoke revoke) {
                g.writeStringField("type", "revoke");
                g.writeStringField("room", revoke.room());
                g.writeStringField("user", revoke.user());
                g.writeNumberField("before", revoke.beforeMillis());
            } else if (event instanceof BusEvent.ConversationRead read) {
                g.writeStringField("type", "read");
                g.writeStringField("room", read.room());
                g.writeStringField("user", read.user());
                g.writeStringField("messageId", read.messageId());
                g.writeNumberField("unread", read.unreadCount());
            } else if (event instanceof BusEvent.ConversationRecorded recorded) {
                g.writeStringField("type", "recorded");
                g.writeStringField("room", recorded.room());
            } else if (event instanceof BusEvent.ConversationMembership membership) {
                g.writeStringField("type", "member");
                g.writeStringField("room", membership.room());
                g.writeStringField("user", membership.user());
                g.writeBooleanField("member", membership.member());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * @return the event, or null for an event type this node does not know (written by a newer node)
     * @throws IllegalArgumentException when the payload is malformed
     */
    public static BusEvent decodeEvent(byte[] payload) {
        String type = null;
        String room = null;
        String user = null;
        String connectionId = null;
        Long before = null;
        String messageId = null;
        long unread = -1;
        Boolean member = null;
        List<String> users = null;
        try (JsonParser p = JSON.createParser(payload)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> type = p.getValueAsString();
                    case "room" -> room = p.getValueAsString();
                    case "user" -> user = p.getValueAsString();
                    case "connectionId" -> connectionId = p.getValueAsString();
                    case "before" -> before = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "messageId" -> messageId = p.getValueAsString();
                    case "unread" -> unread = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "member" -> member = value == JsonToken.VALUE_TRUE
                            ? Boolean.TRUE
                            : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                    case "users" -> {
                        expect(value, JsonToken.START_ARRAY);
                        users = new ArrayList<>();
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            users.add(p.getText());
                        }
                        expect(p.currentToken(), JsonToken.END_ARRAY);
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON event: " + e.getMessage(), e);
        }
        if (type == null) {
            throw new IllegalArgumentException("event lacks a type");
        }
        if (type.equals("revoke")) {
            if (user == null || before == null) {
                throw new IllegalArgumentException("revoke event lacks user or before");
            }
            return new BusEvent.Revoke(user, before);
        }
        if (room == null) {
            throw new IllegalArgumentException("event lacks a room");
        }
        switch (type) {
            case "presence":
                if (users == null) {
                    throw new IllegalArgumentException("presence event lacks users");
                }
                return new BusEvent.Presence(room, users);
            case "typing":
                if (user == null || connectionId == null) {
                    throw new IllegalArgumentException("typing event lacks user or connectionId");
                }
                return new BusEvent.Typing(room, user, connectionId);
            case "read":
                if (user == null || messageId == null || unread < 0) {
                    throw new IllegalArgumentException("read event lacks user, messageId or unread");
                }
                return new BusEvent.ConversationRead(room, user, messageId, unread);
            case "recorded":
                return new BusEvent.ConversationRecorded(room);
            case "member":
                if (user == null || member == null) {
                    throw new IllegalArgumentException("member event lacks user or member");
                }
                return new BusEvent.ConversationMembership(room, user, member);
            default:
                return null;
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
