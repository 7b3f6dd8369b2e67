package io.fatechat.mysql;

import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A history store that fails some appends on purpose, as a flaky network would: every {@code failBeforeEvery}-th
 * call before writing, every {@code failAfterEvery}-th after writing (the write landed, its acknowledgement was
 * lost), so the bus redelivers batches that are partly or wholly stored already. Counts real failures too.
 */
final class FlakyHistoryStore implements HistoryStore {

    private final HistoryStore delegate;
    private final int failBeforeEvery;
    private final int failAfterEvery;
    private final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger injectedFailures = new AtomicInteger();
    final AtomicInteger realFailures = new AtomicInteger();

    FlakyHistoryStore(HistoryStore delegate, int failBeforeEvery, int failAfterEvery) {
        this.delegate = delegate;
        this.failBeforeEvery = failBeforeEvery;
        this.failAfterEvery = failAfterEvery;
    }

    @Override
    public void append(List<ChatMessage> batch) {
        int call = calls.incrementAndGet();
        if (failBeforeEvery > 0 && call % failBeforeEvery == 0) {
            injectedFailures.incrementAndGet();
            throw new BackendUnavailableException("jdbc", "injected failure before writing", null);
        }
        try {
            delegate.append(batch);
        } catch (RuntimeException e) {
            realFailures.incrementAndGet();
            throw e;
        }
        if (failAfterEvery > 0 && call % failAfterEvery == 0) {
            injectedFailures.incrementAndGet();
            throw new BackendUnavailableException("jdbc", "injected failure after writing: acknowledgement lost", null);
        }
    }

    @Override
    public List<ChatMessage> page(ConversationId conversation, String beforeId, int limit) {
        return delegate.page(conversation, beforeId, limit);
    }

    @Override
    public Optional<ChatMessage> findByClientId(String sender, String clientId) {
        return delegate.findByClientId(sender, clientId);
    }
}
