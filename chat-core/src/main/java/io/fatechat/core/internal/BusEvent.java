package io.fatechat.core.internal;

import java.util.List;
import java.util.Objects;

/**
 * What travels on {@link io.fatechat.spi.BusTopic#EVENTS}: presence changes, typing and session revocations, never
 * persisted.
 */
public sealed interface BusEvent permits BusEvent.Presence, BusEvent.Typing, BusEvent.Revoke {

    /** The online users of {@code room} changed; {@code users} is the new sorted list. */
    record Presence(String room, List<String> users) implements BusEvent {
        public Presence {
            Objects.requireNonNull(room, "room");
            users = List.copyOf(users);
        }
    }

    /** {@code user} is typing in {@code room} on connection {@code connectionId}. */
    record Typing(String room, String user, String connectionId) implements BusEvent {
        public Typing {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(connectionId, "connectionId");
        }
    }

    /** Every token of {@code user} issued at or before {@code beforeMillis} is revoked; end their sessions. */
    record Revoke(String user, long beforeMillis) implements BusEvent {
        public Revoke {
            Objects.requireNonNull(user, "user");
        }
    }
}
