package io.fatechat.spi;

import java.util.concurrent.CompletionStage;

/**
 * Carries records between the nodes of one chat deployment. Kafka in production, in-process by default.
 *
 * <p>Contract, checked by {@code MessageBusCompatibilityKit}:
 * <ul>
 *   <li>records with the same topic and key reach each subscriber in publish order;</li>
 *   <li>a <b>broadcast</b> subscription receives every record published after {@link #subscribeBroadcast}
 *       returned, on every node, and leaves no state behind in the backend when closed;</li>
 *   <li>a <b>shared</b> subscription belongs to a group: each record reaches one member of each group;
 *       a group that has never consumed starts from the oldest retained record, so nothing published before
 *       the first member started is lost; a batch whose listener throws is delivered again;</li>
 *   <li>{@link #publish} completes once the record is durable (Kafka: acknowledged by all in-sync replicas),
 *       or completes exceptionally with a {@link ChatException} — never neither;</li>
 *   <li>after {@link #close()} publish fails with {@link ClosedException} and no listener is called.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface MessageBus extends AutoCloseable {

    /**
     * Publishes a record. Never blocks on the network: the returned stage completes when the record is
     * durable, exceptionally with {@link BackendUnavailableException} when it could not be made so in time,
     * or with {@link ClosedException} after {@link #close()}.
     */
    CompletionStage<Void> publish(BusRecord record);

    /**
     * Delivers every record of {@code topic} published from now on to {@code listener}. Returns once the
     * subscription is live: a record published after this method returns is delivered.
     */
    BusSubscription subscribeBroadcast(BusTopic topic, BroadcastListener listener);

    /** Joins {@code group} on {@code topic}: each record reaches one member of the group, at least once. */
    BusSubscription subscribeShared(BusTopic topic, String group, BatchListener listener);

    /**
     * Whether a completed {@link #publish} survives a crash of this process: true for a broker such as Kafka
     * (the default), false for an in-process bus. When false, the chat engine acks a message only once its
     * history store has committed it, since the bus alone would lose it with the process.
     */
    default boolean durable() {
        return true;
    }

    /** Stops every subscription and releases resources. Publishes still pending complete exceptionally. Idempotent. */
    @Override
    void close();
}
