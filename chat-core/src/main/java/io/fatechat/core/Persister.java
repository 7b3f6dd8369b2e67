package io.fatechat.core;

import io.fatechat.spi.BusRecord;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.support.ChatMessageJson;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the messages topic to the history store: one member per node of {@link ChatEngine#PERSISTER_GROUP},
 * one node per message. Throwing makes the bus deliver the batch again; the store is idempotent.
 */
final class Persister {

    private static final Logger log = LoggerFactory.getLogger(Persister.class);

    private final HistoryStore history;
    private final Conversations conversations;

    Persister(HistoryStore history, Conversations conversations) {
        this.history = history;
        this.conversations = conversations;
    }

    /** Shared-group listener of the messages topic. */
    void persist(List<BusRecord> batch) {
        List<ChatMessage> messages = new ArrayList<>(batch.size());
        for (BusRecord record : batch) {
            try {
                messages.add(ChatMessageJson.decode(record.payload()));
            } catch (IllegalArgumentException e) {
                // Retrying cannot fix a malformed record: skip it rather than block every later message.
                log.error(
                        "Not persisting a malformed record on the messages topic (key {}): {}",
                        record.key(),
                        e.getMessage());
            }
        }
        if (!messages.isEmpty()) {
            history.append(messages);
            // after history, so a count never covers a message that history lacks; a failure here redelivers
            // the batch, which both stores skip as far as they got
            conversations.record(messages);
        }
    }
}
