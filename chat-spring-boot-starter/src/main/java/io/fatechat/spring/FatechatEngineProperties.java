package io.fatechat.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The engine's {@code fatechat.*} keys: node id, presence lease and limits. Each key can also be given as an
 * environment variable by relaxed binding, e.g. {@code fatechat.node-id} as {@code FATECHAT_NODE_ID}. Defaults
 * are the engine's own ({@code FatechatEngineAutoConfigurationTest} checks they agree).
 */
@ConfigurationProperties(prefix = "fatechat")
public class FatechatEngineProperties {

    /** This node's id, unique in the deployment (letters, digits, '.', '_', '-'); random when unset. */
    private String nodeId;

    /** The presence lease of this node: its users drop out of every room this long after the node dies. */
    private Duration presenceLeaseTtl = Duration.ofSeconds(30);

    /** Limits the engine enforces. */
    private final Limits limits = new Limits();

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public Duration getPresenceLeaseTtl() {
        return presenceLeaseTtl;
    }

    public void setPresenceLeaseTtl(Duration presenceLeaseTtl) {
        this.presenceLeaseTtl = presenceLeaseTtl;
    }

    public Limits getLimits() {
        return limits;
    }

    /**
     * Engine limits: one property per component of {@code io.fatechat.core.ChatLimits}, of the same name, bound by
     * {@code ChatLimitsBinding}. The defaults are written out because Boot's metadata only reads literals;
     * {@code ChatLimitsBindingTest} checks they are {@code ChatLimits.DEFAULTS}' and that no limit lacks a key.
     */
    public static class Limits {

        /** Longest message text, in characters. */
        private int maxMessageLength = 2_000;

        /** Longest room name, in characters (at most 191). */
        private int maxRoomNameLength = 64;

        /** Sustained messages per second per user on one node. */
        private int messagesPerSecond = 10;

        /** Messages a user may send at once before the rate applies (at least messages-per-second). */
        private int messageBurst = 20;

        /** Rooms one connection may be in at once. */
        private int maxRoomsPerConnection = 50;

        /** The most messages one recent-messages or history request returns. */
        private int maxRecentMessages = 100;

        /** Sustained joins, leaves and typing indicators per second per user on one node. */
        private int actionsPerSecond = 10;

        /** Joins, leaves and typing indicators a user may make at once before the rate applies. */
        private int actionBurst = 30;

        /** Refused requests a connection may make in a burst before it is disconnected (one forgiven a second). */
        private int violationsBeforeDisconnect = 10;

        public int getActionsPerSecond() {
            return actionsPerSecond;
        }

        public void setActionsPerSecond(int actionsPerSecond) {
            this.actionsPerSecond = actionsPerSecond;
        }

        public int getActionBurst() {
            return actionBurst;
        }

        public void setActionBurst(int actionBurst) {
            this.actionBurst = actionBurst;
        }

        public int getViolationsBeforeDisconnect() {
            return violationsBeforeDisconnect;
        }

        public void setViolationsBeforeDisconnect(int violationsBeforeDisconnect) {
            this.violationsBeforeDisconnect = violationsBeforeDisconnect;
        }

        public int getMaxMessageLength() {
            return maxMessageLength;
        }

        public void setMaxMessageLength(int maxMessageLength) {
            this.maxMessageLength = maxMessageLength;
        }

        public int getMaxRoomNameLength() {
            return maxRoomNameLength;
        }

        public void setMaxRoomNameLength(int maxRoomNameLength) {
            this.maxRoomNameLength = maxRoomNameLength;
        }

        public int getMessagesPerSecond() {
            return messagesPerSecond;
        }

        public void setMessagesPerSecond(int messagesPerSecond) {
            this.messagesPerSecond = messagesPerSecond;
        }

        public int getMessageBurst() {
            return messageBurst;
        }

        public void setMessageBurst(int messageBurst) {
            this.messageBurst = messageBurst;
        }

        public int getMaxRoomsPerConnection() {
            return maxRoomsPerConnection;
        }

        public void setMaxRoomsPerConnection(int maxRoomsPerConnection) {
            this.maxRoomsPerConnection = maxRoomsPerConnection;
        }

        public int getMaxRecentMessages() {
            return maxRecentMessages;
        }

        public void setMaxRecentMessages(int maxRecentMessages) {
            this.maxRecentMessages = maxRecentMessages;
        }
    }
}
