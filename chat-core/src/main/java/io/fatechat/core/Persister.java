package io.fatechat.core;

import io.fatechat.core.internal.WireCodec;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.HistoryStore;
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

    Persister(HistoryStore history) {
        this.history = history;
    }

    /** Shared-group listener of the messages topic. */
    void persist(List<BusRecord> batch) {
        List<ChatMessage> messages = new ArrayList<>(batch.size());
        for (BusRecord record : batch) {
            try {
                messages.add(WireCodec.decodeMessage(record.payload()));
            } catch (IllegalArgumentException e) {
                // Retrying cannot fix a malformed record: skip it rather than block every later message.
                log.error("Not persisting a malformed record on the messages topic (key {}): {}", record.key(),
                        e.getMessage());
            }
        }
        if (!messages.isEmpty()) {
            history.append(messages);
        }
    }
}
