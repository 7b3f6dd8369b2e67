package io.fatechat.core;

/**
 * The limits the engine enforces, immutable. Build with {@link #builder()}; every setter validates its value
 * and names it in the error.
 *
 * @param maxMessageLength longest message text, in characters (default 2,000)
 * @param maxRoomNameLength longest room name, in characters (default 64)
 * @param messagesPerSecond sustained messages per second per user on one node (default 10)
 * @param messageBurst messages a user may send at once before the rate applies (default 20)
 * @param maxRoomsPerConnection rooms one connection may be in at once (default 50)
 * @param maxRecentMessages the most messages one recent-messages or history request returns (default 100)
 * @param actionsPerSecond sustained joins, leaves and typing indicators per second per user on one node (default 10)
 * @param actionBurst joins, leaves and typing indicators a user may make at once before the rate applies (default 30)
 * @param violationsBeforeDisconnect refused requests (over a rate) a connection may make in a burst before the
 *        engine closes it and tells its transport to disconnect it; they are forgiven at one a second (default 10)
 */
public record ChatLimits(
        int maxMessageLength,
        int maxRoomNameLength,
        int messagesPerSecond,
        int messageBurst,
        int maxRoomsPerConnection,
        int maxRecentMessages,
        int actionsPerSecond,
        int actionBurst,
        int violationsBeforeDisconnect) {

    public static final ChatLimits DEFAULTS = builder().build();

    public ChatLimits {
        positive("maxMessageLength", maxMessageLength);
        positive("maxRoomNameLength", maxRoomNameLength);
        positive("messagesPerSecond", messagesPerSecond);
        positive("messageBurst", messageBurst);
        positive("maxRoomsPerConnection", maxRoomsPerConnection);
        positive("maxRecentMessages", maxRecentMessages);
        positive("actionsPerSecond", actionsPerSecond);
        positive("actionBurst", actionBurst);
        positive("violationsBeforeDisconnect", violationsBeforeDisconnect);
        if (actionBurst < actionsPerSecond) {
            throw new IllegalArgumentException(
                    "actionBurst (" + actionBurst + ") must be at least actionsPerSecond (" + actionsPerSecond + ")");
        }
        if (maxRoomNameLength > 191) {
            // 191 utf8mb4 characters is the longest indexable VARCHAR on MySQL's default row format.
            throw new IllegalArgumentException("maxRoomNameLength must be at most 191, was " + maxRoomNameLength);
        }
        if (messageBurst < messagesPerSecond) {
            throw new IllegalArgumentException("messageBurst (" + messageBurst
                    + ") must be at least messagesPerSecond (" + messagesPerSecond + ")");
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .maxMessageLength(maxMessageLength)
                .maxRoomNameLength(maxRoomNameLength)
                .messagesPerSecond(messagesPerSecond)
                .messageBurst(messageBurst)
                .maxRoomsPerConnection(maxRoomsPerConnection)
                .maxRecentMessages(maxRecentMessages)
                .actionsPerSecond(actionsPerSecond)
                .actionBurst(actionBurst)
                .violationsBeforeDisconnect(violationsBeforeDisconnect);
    }

    /** Builds {@link ChatLimits}; {@link #build()} validates the combination. */
    public static final class Builder {
        private int maxMessageLength = 2_000;
        private int maxRoomNameLength = 64;
        private int messagesPerSecond = 10;
        private int messageBurst = 20;
        private int maxRoomsPerConnection = 50;
        private int maxRecentMessages = 100;
        private int actionsPerSecond = 10;
        private int actionBurst = 30;
        private int violationsBeforeDisconnect = 10;

        private Builder() {}

        public Builder maxMessageLength(int value) {
            positive("maxMessageLength", value);
            this.maxMessageLength = value;
            return this;
        }

        public Builder maxRoomNameLength(int value) {
            positive("maxRoomNameLength", value);
            this.maxRoomNameLength = value;
            return this;
        }

        public Builder messagesPerSecond(int value) {
            positive("messagesPerSecond", value);
            this.messagesPerSecond = value;
            return this;
        }

        public Builder messageBurst(int value) {
            positive("messageBurst", value);
            this.messageBurst = value;
            return this;
        }

        public Builder maxRoomsPerConnection(int value) {
            positive("maxRoomsPerConnection", value);
            this.maxRoomsPerConnection = value;
            return this;
        }

        public Builder maxRecentMessages(int value) {
            positive("maxRecentMessages", value);
            this.maxRecentMessages = value;
            return this;
        }

        public Builder actionsPerSecond(int value) {
            positive("actionsPerSecond", value);
            this.actionsPerSecond = value;
            return this;
        }

        public Builder actionBurst(int value) {
            positive("actionBurst", value);
            this.actionBurst = value;
            return this;
        }

        public Builder violationsBeforeDisconnect(int value) {
            positive("violationsBeforeDisconnect", value);
            this.violationsBeforeDisconnect = value;
            return this;
        }

        public ChatLimits build() {
            return new ChatLimits(
                    maxMessageLength,
                    maxRoomNameLength,
                    messagesPerSecond,
                    messageBurst,
                    maxRoomsPerConnection,
                    maxRecentMessages,
                    actionsPerSecond,
                    actionBurst,
                    violationsBeforeDisconnect);
        }
    }
}
