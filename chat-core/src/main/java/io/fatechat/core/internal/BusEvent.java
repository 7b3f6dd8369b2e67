package io.fatechat.core.internal;

import java.util.List;
import java.util.Objects;

/**
 * What travels on {@link io.fatechat.spi.BusTopic#EVENTS}: presence changes, typing, conversation state changes and
 * session revocations, never persisted. The conversation events carry the conversation key in {@code room}: it is their bus
 * key, and a node of an older version needs the field to skip an event type it does not know.
 */
public sealed interface BusEvent
        permits BusEvent.Presence,
                BusEvent.Typing,
                BusEvent.ConversationRead,
                BusEvent.ConversationRecorded,
                BusEvent.ConversationMembership,
                BusEvent.Revoke {

    String room();

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

    /** {@code user} marked conversation {@code room} read up to {@code messageId}, leaving {@code unreadCount}. */
    record ConversationRead(String room, String user, String messageId, long unreadCount) implements BusEvent {
        public ConversationRead {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(messageId, "messageId");
        }
    }

    /** New messages of conversation {@code room} were recorded: its members' unread counts changed. */
    record ConversationRecorded(String room) implements BusEvent {
        public ConversationRecorded {
            Objects.requireNonNull(room, "room");
        }
    }

    /** {@code user} joined ({@code member}) or left conversation {@code room}. */
    record ConversationMembership(String room, String user, boolean member) implements BusEvent {
        public ConversationMembership {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * Every token of {@code user} issued at or before {@code beforeMillis} is revoked: end their sessions. Its
     * {@code room} is {@code user:<e-mail>}, the bus key, so that older nodes skip it.
     */
    record Revoke(String user, long beforeMillis) implements BusEvent {
        public Revoke {
            Objects.requireNonNull(user, "user");
        }

        @Override
        public String room() {
            return "user:" + user;
        }
    }
}
