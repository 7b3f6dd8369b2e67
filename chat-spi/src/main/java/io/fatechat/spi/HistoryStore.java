package io.fatechat.spi;

import java.util.List;
import java.util.Optional;

/**
 * Durable message history, per room and per private conversation. Checked by {@code HistoryStoreCompatibilityKit}.
 * Thread-safe.
 */
public interface HistoryStore extends AutoCloseable {

    /**
     * Stores the messages of {@code batch}, in one round trip where the backend allows. Idempotent: a
     * message whose id is already stored, or whose sender and client id match a stored message, is skipped
     * without error, so a redelivered batch changes nothing.
     *
     * @throws BackendUnavailableException when the backend cannot be reached; nothing of the batch may be
     *         assumed stored, and retrying the whole batch is safe
     */
    void append(List<ChatMessage> batch);

    /**
     * Up to {@code limit} messages of {@code conversation}, newest first, strictly older than
     * {@code beforeId} when it is not null (the id of the oldest message of the previous page).
     */
    List<ChatMessage> page(ConversationId conversation, String beforeId, int limit);

    /**
     * Up to {@code limit} messages of {@code conversation} with an id strictly greater than {@code afterId}, oldest
     * first: what a reconnecting client missed since the last message it was sent. The id need not be stored (any
     * UUIDv7-shaped string orders by time). Every store that is read for connection state recovery must implement
     * it from durable data; the default refuses.
     *
     * @throws UnsupportedOperationException when the store cannot page forwards
     */
    default List<ChatMessage> after(ConversationId conversation, String afterId, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot read history after an id");
    }

    /** The newest {@code limit} messages of {@code conversation}, newest first. Caches override this. */
    default List<ChatMessage> recent(ConversationId conversation, int limit) {
        return page(conversation, null, limit);
    }

    /** The message {@code sender} sent with {@code clientId}, if stored: lets re-sends return the original id. */
    Optional<ChatMessage> findByClientId(String sender, String clientId);

    @Override
    default void close() {}
}
