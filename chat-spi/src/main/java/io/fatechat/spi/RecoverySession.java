package io.fatechat.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a node needs to restore a Socket.IO connection after it dropped: who it was, which rooms it was in, and
 * from which message on it may have missed something.
 *
 * @param pid the private session id the client got in its CONNECT answer and sends back to recover
 * @param user the e-mail of the connection's user
 * @param rooms canonical room name to the offset the room was joined at: messages of the room up to it were
 *        never this connection's to receive, so a replay starts after it
 * @param offset the connection's offset when the record was written: replays never start before it
 * @param expiresAt when the record stops being recoverable
 */
public record RecoverySession(String pid, String user, Map<String, String> rooms, String offset, Instant expiresAt) {

    public RecoverySession {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (pid.isEmpty() || pid.length() > 64) {
            throw new IllegalArgumentException("pid must be 1 to 64 characters");
        }
        rooms = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(rooms, "rooms")));
    }

    /** The same session expiring at {@code newExpiry}. */
    public RecoverySession expiringAt(Instant newExpiry) {
        return new RecoverySession(pid, user, rooms, offset, newExpiry);
    }

    /**
     * The rooms as text for stores that keep them in one column or value: one line per room, the offset, a tab,
     * the name. Room names hold no control characters, so neither separator can occur in them.
     */
    public String encodeRooms() {
        StringBuilder text = new StringBuilder();
        rooms.forEach((room, joinedAt) ->
                text.append(joinedAt).append('\t').append(room).append('\n'));
        return text.toString();
    }

    /** The inverse of {@link #encodeRooms()}. */
    public static Map<String, String> decodeRooms(String text) {
        Map<String, String> rooms = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return rooms;
        }
        for (String line : lines(text)) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                rooms.put(line.substring(tab + 1), line.substring(0, tab));
            }
        }
        return rooms;
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
            lines.add(text.substring(from, nl));
            from = nl + 1;
        }
        if (from < text.length()) {
            lines.add(text.substring(from));
        }
        return lines;
    }
}
