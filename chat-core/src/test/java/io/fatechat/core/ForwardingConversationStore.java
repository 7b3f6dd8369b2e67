package io.fatechat.core;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationCursor;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.ReadMarker;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A test store that passes every call to {@link #delegate}; subclasses override what they observe or hold. */
class ForwardingConversationStore implements ConversationStore {
    final ConversationStore delegate;

    ForwardingConversationStore(ConversationStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void join(String user, ConversationId conversation, String readUpTo) {
        delegate.join(user, conversation, readUpTo);
    }

    @Override
    public boolean leave(String user, ConversationId conversation) {
        return delegate.leave(user, conversation);
    }

    @Override
    public void record(List<ChatMessage> batch) {
        delegate.record(batch);
    }

    @Override
    public Conversation markRead(String user, ConversationId conversation, String messageId) {
        return delegate.markRead(user, conversation, messageId);
    }

    @Override
    public Optional<Conversation> find(String user, ConversationId conversation) {
        return delegate.find(user, conversation);
    }

    @Override
    public Map<ConversationId, Map<String, Conversation>> findAll(
            Map<ConversationId, ? extends Collection<String>> members) {
        return delegate.findAll(members);
    }

    @Override
    public List<Conversation> list(String user, ConversationCursor after, int limit) {
        return delegate.list(user, after, limit);
    }

    @Override
    public List<ReadMarker> readMarkers(ConversationId conversation, int limit) {
        return delegate.readMarkers(conversation, limit);
    }
}
