package io.fatechat.spi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A position in a conversation list, which runs newest activity first, ties broken by the conversation key
 * (descending). {@link #encode()} gives the opaque string clients page with.
 */
public record ConversationCursor(Instant activityAt, ConversationId conversation) {

    public ConversationCursor {
        Objects.requireNonNull(activityAt, "activityAt");
        Objects.requireNonNull(conversation, "conversation");
    }

    /** Whether an entry at ({@code activityAt}, {@code conversation}) comes after this cursor in list order. */
    public boolean precedes(Instant activityAt, ConversationId conversation) {
        int byTime = activityAt.compareTo(this.activityAt);
        return byTime < 0 || byTime == 0 && conversation.compareTo(this.conversation) < 0;
    }

    /** URL-safe text: base64url of {@code <epoch second>.<nanos>|<conversation key>}. */
    public String encode() {
        String plain = activityAt.getEpochSecond() + "." + activityAt.getNano() + "|" + conversation.key();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes a cursor that {@code encode} wrote.
     *
     * @throws InvalidInputException naming {@code field} when {@code text} is not an encoded cursor
     */
    public static ConversationCursor decode(String field, String text) {
        Objects.requireNonNull(text, "text");
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            int dot = plain.indexOf('.');
            if (bar < 0 || dot < 0 || dot > bar) {
                throw new IllegalArgumentException("no time and key");
            }
            Instant at = Instant.ofEpochSecond(
                    Long.parseLong(plain.substring(0, dot)), Long.parseLong(plain.substring(dot + 1, bar)));
            return new ConversationCursor(at, new ConversationId(plain.substring(bar + 1)));
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            throw new InvalidInputException(field, "not a cursor this server handed out");
        }
    }
}
