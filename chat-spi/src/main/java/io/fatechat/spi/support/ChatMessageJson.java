package io.fatechat.spi.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The one JSON form of a stored message, shared by every backend that keeps or carries messages as bytes (the
 * bus payload, the Redis recent cache): {@code {"v":1,"id","conversation","sender","text","event","createdAt",
 * "clientId"?}} with {@code createdAt} as ISO-8601. Written with Jackson's streaming API (no reflection); unknown
 * fields are skipped so that a newer node can add fields during a rolling upgrade.
 */
public final class ChatMessageJson {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int VERSION = 1;

    private ChatMessageJson() {}

    public static byte[] encode(ChatMessage message) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(128 + message.text().length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("id", message.id());
            g.writeStringField("conversation", message.conversation().key());
            g.writeStringField("sender", message.sender());
            g.writeStringField("text", message.text());
            g.writeBooleanField("event", message.event());
            g.writeStringField("createdAt", message.createdAt().toString());
            if (message.clientId() != null) {
                g.writeStringField("clientId", message.clientId());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String encodeToString(ChatMessage message) {
        return new String(encode(message), StandardCharsets.UTF_8);
    }

    /**
     * Decodes a message this codec encoded (or an early Redis cache entry, which named the conversation
     * {@code conv}).
     *
     * @throws IllegalArgumentException when the payload is not an encoded message
     */
    public static ChatMessage decode(byte[] payload) {
        try (JsonParser p = JSON.createParser(payload)) {
            return read(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON message: " + e.getMessage(), e);
        }
    }

    /** Like {@link #decode(byte[])}. */
    public static ChatMessage decode(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            return read(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON message: " + e.getMessage(), e);
        }
    }

    private static ChatMessage read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String id = null;
        String conversation = null;
        String sender = null;
        String text = null;
        boolean event = false;
        String createdAt = null;
        String clientId = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = p.getValueAsString();
                case "conversation", "conv" -> conversation = p.getValueAsString();
                case "sender" -> sender = p.getValueAsString();
                case "text" -> text = p.getValueAsString();
                case "event" -> event = value == JsonToken.VALUE_TRUE;
                case "createdAt" -> createdAt = p.getValueAsString();
                case "clientId" -> clientId = p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        if (id == null || conversation == null || sender == null || text == null || createdAt == null) {
            throw new IllegalArgumentException("message lacks a required field");
        }
        try {
            return new ChatMessage(
                    id, new ConversationId(conversation), sender, text, event, Instant.parse(createdAt), clientId);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("malformed message: " + e.getMessage(), e);
        }
    }
}
