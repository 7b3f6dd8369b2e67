package io.fatechat.redis.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Encodes a {@link ChatMessage} as a small JSON object for the cache, in the vocabulary of a stored message that
 * the bus uses too (docs/architecture.md, "A message as JSON"):
 * {@code {"v":1,"id","conversation","sender","text","event","createdAt","clientId"?}} with {@code createdAt} in
 * ISO-8601 (full precision) and {@code clientId} left out when absent. chat-core's bus codec writes the same JSON
 * (a test holds them to it) without either module depending on the other.
 *
 * <p>Reading also accepts {@code "conv"} for the conversation: what this codec wrote before the vocabulary was
 * shared, still in caches written by older nodes. Unknown fields are skipped, so a newer node's entries stay
 * readable by an older one.
 */
public final class ChatMessageCodec {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int VERSION = 1;

    private ChatMessageCodec() {}

    public static String encode(ChatMessage m) {
        StringWriter out = new StringWriter(128 + m.text().length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("id", m.id());
            g.writeStringField("conversation", m.conversation().key());
            g.writeStringField("sender", m.sender());
            g.writeStringField("text", m.text());
            g.writeBooleanField("event", m.event());
            g.writeStringField("createdAt", m.createdAt().toString());
            if (m.clientId() != null) {
                g.writeStringField("clientId", m.clientId());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Decodes a message this codec encoded.
     *
     * @throws IllegalArgumentException when {@code json} is not an encoded message
     */
    public static ChatMessage decode(String json) {
        String id = null;
        String conv = null;
        String sender = null;
        String text = null;
        boolean event = false;
        String createdAt = null;
        String clientId = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = p.getValueAsString();
                    case "conversation", "conv" -> conv = p.getValueAsString();
                    case "sender" -> sender = p.getValueAsString();
                    case "text" -> text = p.getValueAsString();
                    case "event" -> event = value == JsonToken.VALUE_TRUE;
                    case "createdAt" -> createdAt = p.getValueAsString();
                    case "clientId" -> clientId = p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
            if (id == null || conv == null || sender == null || text == null || createdAt == null) {
                throw new IllegalArgumentException("cached message lacks a required field");
            }
            return new ChatMessage(
                    id, new ConversationId(conv), sender, text, event, Instant.parse(createdAt), clientId);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("cannot decode cached message: " + e.getMessage(), e);
        }
    }
}
