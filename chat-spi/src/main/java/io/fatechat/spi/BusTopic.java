package io.fatechat.spi;

/** The two streams the message bus carries. */
public enum BusTopic {
    /** Room and private messages: the log of record, persisted and delivered. Default Kafka topic {@code chat-messages}. */
    MESSAGES,
    /** Presence changes and typing: delivered, never persisted. Default Kafka topic {@code chat-events}. */
    EVENTS
}
