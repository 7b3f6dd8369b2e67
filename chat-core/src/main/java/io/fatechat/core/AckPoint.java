package io.fatechat.core;

/** When a send is acknowledged to its sender: what "your message is safe" means on this node. */
public enum AckPoint {

    /**
     * {@link #BUS} when the message bus is {@linkplain io.fatechat.spi.MessageBus#durable() durable} (Kafka)
     * or this node does not persist history; {@link #HISTORY} otherwise (the in-memory bus). The default.
     */
    AUTO,

    /**
     * Once the bus has the message (Kafka: all in-sync replicas). Live delivery and the persister group read
     * it from the bus; history never delays delivery.
     */
    BUS,

    /**
     * Once the history store has committed the message. The node writes its own messages, grouped into one
     * append per commit (group commit), and publishes them for live delivery after the commit.
     */
    HISTORY
}
