package io.fatechat.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A chat room.
 *
 * @param id assigned by the store, positive, unique
 * @param name the canonical name as created; names are unique case-insensitively
 * @param createdAt when it was created
 */
public record Room(long id, String name, Instant createdAt) {

    public Room {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        if (id <= 0) {
            throw new IllegalArgumentException("id must be positive: " + id);
        }
    }

    public ConversationId conversation() {
        return ConversationId.room(name);
    }
}
