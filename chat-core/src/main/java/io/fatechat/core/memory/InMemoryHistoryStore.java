package io.fatechat.core.memory;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The in-process {@link HistoryStore}: a test double and a store for throwaway setups.
 *
 * <p>Memory is <b>not bounded</b>: every message appended is kept until the store is discarded, so do not use
 * it for a long-running server (the embedded default keeps history in H2). Writes are serialized so a batch is
 * applied atomically; reads are lock-free.
 */
public final class InMemoryHistoryStore implements HistoryStore {

    private final Object writeLock = new Object();
    /** conversation -> id -> message; ids order by time when compared as strings. */
    private final Map<ConversationId, ConcurrentSkipListMap<String, ChatMessage>> conversations =
            new ConcurrentHashMap<>();

    private final Map<String, ChatMessage> byId = new ConcurrentHashMap<>();
    private final Map<ClientKey, ChatMessage> byClientId = new ConcurrentHashMap<>();

    @Override
    public void append(List<ChatMessage> batch) {
        Objects.requireNonNull(batch, "batch");
        batch.forEach(message -> Objects.requireNonNull(message, "message in batch"));
        synchronized (writeLock) {
            for (ChatMessage message : batch) {
                if (byId.containsKey(message.id())) {
                    continue;
                }
                ClientKey clientKey =
                        message.clientId() == null ? null : new ClientKey(message.sender(), message.clientId());
                if (clientKey != null && byClientId.containsKey(clientKey)) {
                    continue;
                }
                byId.put(message.id(), message);
                if (clientKey != null) {
                    byClientId.put(clientKey, message);
                }
                conversations
                        .computeIfAbsent(message.conversation(), c -> new ConcurrentSkipListMap<>())
                        .put(message.id(), message);
            }
        }
    }

    @Override
    public List<ChatMessage> page(ConversationId conversation, String beforeId, int limit) {
        Objects.requireNonNull(conversation, "conversation");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        NavigableMap<String, ChatMessage> messages = conversations.get(conversation);
        if (messages == null || limit == 0) {
            return List.of();
        }
        NavigableMap<String, ChatMessage> older = beforeId == null ? messages : messages.headMap(beforeId, false);
        List<ChatMessage> page = new ArrayList<>(Math.min(limit, 64));
        for (ChatMessage message : older.descendingMap().values()) {
            if (page.size() == limit) {
                break;
            }
            page.add(message);
        }
        return List.copyOf(page);
    }

    @Override
    public List<ChatMessage> after(ConversationId conversation, String afterId, int limit) {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(afterId, "afterId");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        NavigableMap<String, ChatMessage> messages = conversations.get(conversation);
        if (messages == null || limit == 0) {
            return List.of();
        }
        List<ChatMessage> page = new ArrayList<>(Math.min(limit, 64));
        for (ChatMessage message : messages.tailMap(afterId, false).values()) {
            if (page.size() == limit) {
                break;
            }
            page.add(message);
        }
        return List.copyOf(page);
    }

    @Override
    public Optional<ChatMessage> findByClientId(String sender, String clientId) {
        Objects.requireNonNull(sender, "sender");
        if (clientId == null || clientId.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byClientId.get(new ClientKey(sender, clientId)));
    }

    /** Senders are e-mails, compared case-insensitively like everywhere else. */
    private record ClientKey(String sender, String clientId) {
        ClientKey {
            sender = sender.toLowerCase(Locale.ROOT);
        }
    }
}
