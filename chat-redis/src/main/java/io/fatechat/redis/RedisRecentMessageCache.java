package io.fatechat.redis;

import io.fatechat.redis.internal.LuaScript;
import io.fatechat.redis.internal.RedisLink;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.support.ChatMessageJson;
import io.fatechat.spi.support.NamedThreads;
import io.fatechat.spi.support.OutageLog;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link HistoryStore} that keeps the newest messages of each conversation in Redis in front of another
 * (durable) history store.
 *
 * <ul>
 *   <li>{@link #append} writes to the delegate first, then to a capped per-conversation cache
 *       ({@link RedisConfig#recentCacheSize()}); once the delegate has stored a batch, a cache failure never
 *       fails the call.</li>
 *   <li>{@link #recent} and the first page of {@link #page} (no {@code beforeId}, limit within the cap) are
 *       served from Redis; on a miss, or while Redis is down, they come from the delegate, and a miss refills
 *       the cache with the delegate's newest messages.</li>
 *   <li>Order (newest first by id) and de-duplication (by id, and by sender and client id as the delegate does)
 *       are enforced inside one Lua script per conversation, so concurrent writers on several nodes agree.</li>
 *   <li>When a cache write fails, the cache's epoch is advanced as soon as Redis answers again, which makes
 *       every node refill every conversation from the delegate: no node serves a cache that missed a message.
 *       The outage is logged once when it starts and once when it ends.</li>
 * </ul>
 *
 * <p>Key layout under the prefix {@code P}: {@code P recent:epoch}, and per conversation key {@code C}
 * ({@link ConversationId#key()}): {@code P recent:ids:C} (zset of ids, score 0, so ordered by id),
 * {@code P recent:msgs:C} (hash id to JSON), {@code P recent:cids:C} (hash sender and client id to id),
 * {@code P recent:filled:C} (the epoch it was filled in). Conversation keys expire
 * {@link RedisConfig#recentCacheTtl()} after their last write.
 *
 * <p>{@link #close()} closes the Redis connection and the delegate.
 */
public final class RedisRecentMessageCache implements HistoryStore {

    private static final Logger log = LoggerFactory.getLogger(RedisRecentMessageCache.class);
    private static final LuaScript READ = LuaScript.load("recent-read");
    private static final LuaScript ADD = LuaScript.load("recent-add");
    private static final long INVALIDATION_RETRY_MILLIS = 500;
    private static final String MODE_APPEND = "a";
    private static final String MODE_REPAIR = "r";
    private static final String MODE_FILL = "f";

    private final HistoryStore delegate;
    private final RedisLink link;
    private final String prefix;
    private final String epochKey;
    private final int cap;
    private final String capArg;
    private final String ttlMillis;
    /** Set when a cache write failed: the epoch must move on before this node trusts the cache again. */
    private final AtomicBoolean invalidationPending = new AtomicBoolean();

    private final AtomicBoolean invalidationScheduled = new AtomicBoolean();
    private final ScheduledExecutorService invalidator;

    /**
     * @param delegate the durable history store, written first and asked on every miss
     * @param config the Redis address, key prefix and cache size
     */
    public RedisRecentMessageCache(HistoryStore delegate, RedisConfig config) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(config, "config");
        this.link = new RedisLink(config, "RedisRecentMessageCache", new OutageLog(log, "Redis recent-message cache"));
        this.prefix = config.keyPrefix();
        this.epochKey = prefix + "recent:epoch";
        this.cap = config.recentCacheSize();
        this.capArg = Integer.toString(cap);
        this.ttlMillis = Long.toString(config.recentCacheTtl().toMillis());
        this.invalidator = Executors.newSingleThreadScheduledExecutor(
                r -> NamedThreads.daemon("fatechat-redis-cache-invalidation", r));
    }

    /** The store behind this cache. */
    public HistoryStore delegate() {
        return delegate;
    }

    @Override
    public void append(List<ChatMessage> batch) {
        delegate.append(batch);
        if (batch.isEmpty()) {
            return;
        }
        try {
            Map<ConversationId, List<ChatMessage>> byConversation = new LinkedHashMap<>();
            for (ChatMessage m : batch) {
                byConversation
                        .computeIfAbsent(m.conversation(), c -> new ArrayList<>())
                        .add(m);
            }
            // One script per conversation, all sent before waiting for any: one round trip for the batch.
            List<ConversationId> conversations = new ArrayList<>(byConversation.keySet());
            List<CompletableFuture<List<Object>>> writes = new ArrayList<>(conversations.size());
            for (ConversationId conversation : conversations) {
                writes.add(add(conversation, byConversation.get(conversation), MODE_APPEND, ""));
            }
            link.awaitAll(writes, "recent cache append");
            for (int i = 0; i < writes.size(); i++) {
                List<Object> skipped = writes.get(i).join();
                if (!skipped.isEmpty()) {
                    repair(conversations.get(i), byConversation.get(conversations.get(i)), skipped);
                }
            }
        } catch (RuntimeException e) {
            cacheWriteFailed(e);
        }
    }

    /**
     * Some messages were skipped because the cache holds another message with their sender and client id:
     * concurrent re-sends whose cache writes may have landed in another order than their history writes. The
     * history store knows which one it kept; that one replaces whatever the cache holds. Rare: re-sends only.
     */
    private void repair(ConversationId conversation, List<ChatMessage> messages, List<Object> skipped) {
        List<ChatMessage> kept = new ArrayList<>();
        for (int i = 0; i + 1 < skipped.size(); i += 2) {
            ChatMessage m = messages.get(((Long) skipped.get(i)).intValue() - 1);
            String owner = (String) skipped.get(i + 1);
            delegate.findByClientId(m.sender(), m.clientId())
                    .filter(k -> k.conversation().equals(conversation) && !k.id().equals(owner) && !kept.contains(k))
                    .ifPresent(kept::add);
        }
        if (!kept.isEmpty()) {
            link.await(add(conversation, kept, MODE_REPAIR, ""), "recent cache repair");
        }
    }

    @Override
    public List<ChatMessage> recent(ConversationId conversation, int limit) {
        Objects.requireNonNull(conversation, "conversation");
        if (limit <= 0 || limit > cap || !epochCurrent()) {
            return delegate.recent(conversation, limit);
        }
        List<Object> answer;
        try {
            answer = link.eval(READ, ScriptOutputType.MULTI, keys(conversation), Integer.toString(limit));
        } catch (RuntimeException e) {
            return delegate.recent(conversation, limit);
        }
        boolean hit = "hit".equals(answer.get(0));
        if (hit) {
            List<ChatMessage> cached = decode(answer);
            if (cached != null) {
                return cached;
            }
        }
        List<ChatMessage> newest = delegate.page(conversation, null, cap);
        // a miss fills the cache; an unreadable hit is overwritten with the store's copies (repair)
        fill(conversation, hit ? MODE_REPAIR : MODE_FILL, hit ? "" : (String) answer.get(1), newest);
        return newest.size() <= limit ? newest : List.copyOf(newest.subList(0, limit));
    }

    @Override
    public List<ChatMessage> page(ConversationId conversation, String beforeId, int limit) {
        if (beforeId == null && limit > 0 && limit <= cap) {
            return recent(conversation, limit);
        }
        return delegate.page(conversation, beforeId, limit);
    }

    /**
     * From the delegate: the cache holds only the newest messages and is written after the delegate, so it never
     * knows a message the delegate does not, and a replay must not stop at the cache's cap.
     */
    @Override
    public List<ChatMessage> after(ConversationId conversation, String afterId, int limit) {
        return delegate.after(conversation, afterId, limit);
    }

    @Override
    public Optional<ChatMessage> findByClientId(String sender, String clientId) {
        return delegate.findByClientId(sender, clientId);
    }

    private CompletableFuture<List<Object>> add(
            ConversationId conversation, List<ChatMessage> messages, String mode, String fillEpoch) {
        String[] args = new String[4 + messages.size() * 3];
        args[0] = capArg;
        args[1] = ttlMillis;
        args[2] = mode;
        args[3] = fillEpoch;
        int i = 4;
        for (ChatMessage m : messages) {
            args[i++] = m.id();
            args[i++] = m.clientId() == null ? "" : clientKey(m.sender(), m.clientId());
            args[i++] = ChatMessageJson.encodeToString(m);
        }
        return link.evalAsync(ADD, ScriptOutputType.MULTI, keys(conversation), args);
    }

    /** Writes the delegate's newest messages into the cache; a fill marks it filled unless the epoch moved on. */
    private void fill(ConversationId conversation, String mode, String epoch, List<ChatMessage> newest) {
        try {
            link.await(add(conversation, newest, mode, epoch), "recent cache fill");
        } catch (RuntimeException e) {
            // a failed fill leaves the cache as it was (the script is atomic): the next read tries again
            log.debug("could not fill the recent cache of {}", conversation, e);
        }
    }

    private List<ChatMessage> decode(List<Object> answer) {
        List<ChatMessage> messages = new ArrayList<>(answer.size() - 1);
        try {
            for (int i = 1; i < answer.size(); i++) {
                messages.add(ChatMessageJson.decode((String) answer.get(i)));
            }
            return List.copyOf(messages);
        } catch (RuntimeException e) {
            log.warn("unreadable entry in the recent cache, reading the history store instead: {}", e.getMessage());
            return null;
        }
    }

    private void cacheWriteFailed(RuntimeException e) {
        if (!(e instanceof io.fatechat.spi.BackendUnavailableException)) {
            // not an outage (those are logged once by the link's outage log), so say what it was
            log.warn("could not write to the recent cache", e);
        }
        invalidationPending.set(true);
        scheduleInvalidation();
    }

    /** True when this node trusts the cache: no failed write is waiting for the epoch to move on. */
    private boolean epochCurrent() {
        if (!invalidationPending.get()) {
            return true;
        }
        return advanceEpoch();
    }

    private boolean advanceEpoch() {
        if (!invalidationPending.compareAndSet(true, false)) {
            return true;
        }
        try {
            long epoch = link.await(link.async().incr(epochKey), "recent cache invalidation");
            log.info("recent cache epoch advanced to {}: every conversation is refilled from the history store", epoch);
            return true;
        } catch (RuntimeException e) {
            invalidationPending.set(true);
            scheduleInvalidation();
            return false;
        }
    }

    private void scheduleInvalidation() {
        if (invalidator.isShutdown() || !invalidationScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            invalidator.schedule(
                    () -> {
                        invalidationScheduled.set(false);
                        if (invalidationPending.get()) {
                            advanceEpoch();
                        }
                    },
                    INVALIDATION_RETRY_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            invalidationScheduled.set(false);
        }
    }

    private String[] keys(ConversationId conversation) {
        String c = conversation.key();
        return new String[] {
            prefix + "recent:ids:" + c,
            prefix + "recent:msgs:" + c,
            prefix + "recent:cids:" + c,
            prefix + "recent:filled:" + c,
            epochKey
        };
    }

    /** Senders compare case-insensitively, as in every history store. */
    private static String clientKey(String sender, String clientId) {
        return sender.toLowerCase(Locale.ROOT) + '\n' + clientId;
    }

    /** Closes the Redis connection, then the delegate. Idempotent as far as the delegate's close is. */
    @Override
    public void close() {
        invalidator.shutdownNow();
        try {
            link.close();
        } finally {
            delegate.close();
        }
    }
}
