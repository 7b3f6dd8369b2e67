package io.fatechat.spi;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Names one conversation: a room, or the private conversation of two users.
 *
 * <p>The {@link #key()} is the stable string form used as Kafka record key, Redis key part and database
 * column: {@code r:<roomName>} for a room, {@code d:<userA> <userB>} for a private conversation, the two
 * lower-cased e-mails sorted so that both members name the same conversation. E-mails never contain white
 * space, so the space separator is unambiguous.
 */
public record ConversationId(String key) implements Comparable<ConversationId> {

    private static final String ROOM_PREFIX = "r:";
    private static final String DIRECT_PREFIX = "d:";

    public ConversationId {
        Objects.requireNonNull(key, "key");
        if (key.startsWith(ROOM_PREFIX)) {
            if (key.length() == ROOM_PREFIX.length()) {
                throw new IllegalArgumentException("conversation key names no room: '" + key + "'");
            }
        } else if (key.startsWith(DIRECT_PREFIX)) {
            int space = key.indexOf(' ');
            if (space <= DIRECT_PREFIX.length() || space == key.length() - 1 || key.indexOf(' ', space + 1) >= 0) {
                throw new IllegalArgumentException("private conversation key must name two users: '" + key + "'");
            }
        } else {
            throw new IllegalArgumentException("conversation key must start with 'r:' or 'd:': '" + key + "'");
        }
    }

    /** The conversation of a room, by its canonical name. */
    public static ConversationId room(String roomName) {
        Objects.requireNonNull(roomName, "roomName");
        return new ConversationId(ROOM_PREFIX + roomName);
    }

    /** The private conversation of two users, the same whichever order they are given in. */
    public static ConversationId direct(String userA, String userB) {
        String a = normalizeUser(userA, "userA");
        String b = normalizeUser(userB, "userB");
        return new ConversationId(DIRECT_PREFIX + (a.compareTo(b) <= 0 ? a + " " + b : b + " " + a));
    }

    private static String normalizeUser(String user, String name) {
        Objects.requireNonNull(user, name);
        if (user.isBlank() || user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    name + " must be a non-blank e-mail without white space: '" + user + "'");
        }
        return user.toLowerCase(Locale.ROOT);
    }

    public boolean isRoom() {
        return key.startsWith(ROOM_PREFIX);
    }

    public boolean isDirect() {
        return key.startsWith(DIRECT_PREFIX);
    }

    /**
     * The room's name.
     *
     * @throws IllegalStateException for a private conversation
     */
    public String roomName() {
        if (!isRoom()) {
            throw new IllegalStateException("not a room conversation: " + key);
        }
        return key.substring(ROOM_PREFIX.length());
    }

    /**
     * The two members of a private conversation, lower-cased and sorted.
     *
     * @throws IllegalStateException for a room
     */
    public List<String> members() {
        if (!isDirect()) {
            throw new IllegalStateException("not a private conversation: " + key);
        }
        int space = key.indexOf(' ');
        return List.of(key.substring(DIRECT_PREFIX.length(), space), key.substring(space + 1));
    }

    /** For a private conversation, whether {@code user} is one of its two members; always false for a room. */
    public boolean hasMember(String user) {
        return isDirect() && members().contains(user.toLowerCase(Locale.ROOT));
    }

    @Override
    public int compareTo(ConversationId other) {
        return key.compareTo(other.key);
    }

    @Override
    public String toString() {
        return key;
    }
}
