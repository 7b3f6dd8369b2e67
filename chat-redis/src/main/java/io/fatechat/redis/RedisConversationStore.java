package io.fatechat.redis;

import io.fatechat.redis.internal.LuaScript;
import io.fatechat.redis.internal.RedisLink;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationCursor;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.NotMemberException;
import io.fatechat.spi.ReadMarker;
import io.fatechat.spi.support.ChatMessageJson;
import io.fatechat.spi.support.OutageLog;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConversationStore} in Redis: the conversation store of a deployment that shares state through Redis
 * without a database, and as durable as that Redis is configured to be (AOF or RDB). Every node sees the same
 * state; each operation is one Lua script, so concurrent nodes never interleave inside one.
 *
 * <p>Unread counts need no counters here: a conversation's recorded ids are a sorted set (score 0, ordered by
 * id), and a member's unread count is {@code ZLEXCOUNT ids (marker +}, O(log n) and exact whatever order
 * messages were recorded in. Recording is idempotent through {@code ZADD NX}.
 *
 * <p>Key layout under the prefix {@code P}, per conversation key {@code C} and lower-cased user {@code U}:
 * {@code P conv:ids:C} (zset of recorded ids), {@code P conv:meta:C} (hash: lastId, last as JSON),
 * {@code P conv:members:C} (hash U to {@code <joined epoch micros>|<read id>}), {@code P conv:user:U} (set of
 * the user's conversation keys). Nothing expires: this is a store, not a cache. The id set grows by one entry
 * per message (about 80 bytes).
 */
public final class RedisConversationStore implements ConversationStore {

    private static final Logger log = LoggerFactory.getLogger(RedisConversationStore.class);
    private static final LuaScript RECORD = LuaScript.load("conversation-record");
    private static final LuaScript VIEW = LuaScript.load("conversation-view");
    private static final LuaScript LIST = LuaScript.load("conversation-list");
    private static final LuaScript JOIN = LuaScript.load("conversation-join");
    private static final LuaScript LEAVE = LuaScript.load("conversation-leave");
    private static final Comparator<Conversation> LIST_ORDER = Comparator.comparing(Conversation::activityAt)
            .thenComparing(Conversation::id)
            .reversed();

    private final RedisLink link;
    private final String prefix;
    private final Clock clock;

    public RedisConversationStore(RedisConfig config) {
        this(config, Clock.systemUTC());
    }

    /** A store stamping joins with {@code clock}'s time. */
    public RedisConversationStore(RedisConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.link = new RedisLink(config, "RedisConversationStore", new OutageLog(log, "Redis conversation store"));
        this.prefix = config.keyPrefix();
    }

    @Override
    public void join(String user, ConversationId conversation, String readUpTo) {
        String key = userKey(user);
        Objects.requireNonNull(conversation, "conversation");
        if (readUpTo != null) {
            checkMessageId(readUpTo);
        }
        String entry = micros(clock.instant()) + "|" + (readUpTo == null ? "" : readUpTo);
        link.eval(
                JOIN,
                ScriptOutputType.INTEGER,
                new String[] {members(conversation), userSet(key)},
                key,
                entry,
                conversation.key());
    }

    @Override
    public boolean leave(String user, ConversationId conversation) {
        String key = userKey(user);
        Objects.requireNonNull(conversation, "conversation");
        Long removed = link.eval(
                LEAVE,
                ScriptOutputType.INTEGER,
                new String[] {members(conversation), userSet(key)},
                key,
                conversation.key());
        return removed != null && removed > 0;
    }

    @Override
    public void record(List<ChatMessage> batch) {
        Objects.requireNonNull(batch, "batch");
        Map<ConversationId, TreeMap<String, ChatMessage>> byConversation = new LinkedHashMap<>();
        for (ChatMessage m : batch) {
            Objects.requireNonNull(m, "message in batch");
            if (!m.event()) {
                byConversation
                        .computeIfAbsent(m.conversation(), c -> new TreeMap<>())
                        .putIfAbsent(m.id(), m);
            }
        }
        // one script per conversation, all sent before waiting for any: one round trip for the batch
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        byConversation.forEach((conversation, messages) -> writes.add(recordAsync(conversation, messages.values())));
        if (!writes.isEmpty()) {
            link.awaitAll(writes, "record conversation messages");
        }
    }

    private CompletableFuture<Long> recordAsync(
            ConversationId conversation, java.util.Collection<ChatMessage> messages) {
        boolean direct = conversation.isDirect();
        List<String> members = direct ? conversation.members() : List.of("", "");
        String[] keys = direct
                ? new String[] {
                    ids(conversation),
                    meta(conversation),
                    members(conversation),
                    userSet(members.get(0)),
                    userSet(members.get(1))
                }
                : new String[] {ids(conversation), meta(conversation), members(conversation)};
        String[] args = new String[4 + messages.size() * 4];
        args[0] = conversation.key();
        args[1] = direct ? "1" : "0";
        args[2] = members.get(0);
        args[3] = members.get(1);
        int i = 4;
        for (ChatMessage m : messages) {
            args[i++] = m.id();
            args[i++] = userKey(m.sender());
            args[i++] = Long.toString(micros(m.createdAt()));
            args[i++] = ChatMessageJson.encodeToString(m);
        }
        return link.evalAsync(RECORD, ScriptOutputType.INTEGER, keys, args);
    }

    @Override
    public Conversation markRead(String user, ConversationId conversation, String messageId) {
        String key = userKey(user);
        Objects.requireNonNull(conversation, "conversation");
        checkMessageId(messageId);
        return view(key, conversation, messageId).orElseThrow(() -> new NotMemberException(key, conversation));
    }

    @Override
    public Optional<Conversation> find(String user, ConversationId conversation) {
        String key = userKey(user);
        Objects.requireNonNull(conversation, "conversation");
        return view(key, conversation, "");
    }

    /** One view script per pair, all sent before waiting for any: one round trip for the lot. */
    @Override
    public Map<ConversationId, Map<String, Conversation>> findAll(
            Map<ConversationId, ? extends Collection<String>> members) {
        Objects.requireNonNull(members, "members");
        Map<ConversationId, Map<String, CompletableFuture<List<Object>>>> reads = new LinkedHashMap<>();
        List<CompletableFuture<List<Object>>> all = new ArrayList<>();
        members.forEach((conversation, users) -> {
            Objects.requireNonNull(conversation, "conversation");
            String[] keys = {ids(conversation), meta(conversation), members(conversation)};
            for (String user : users) {
                CompletableFuture<List<Object>> read =
                        link.evalAsync(VIEW, ScriptOutputType.MULTI, keys, userKey(user), "");
                reads.computeIfAbsent(conversation, c -> new LinkedHashMap<>()).put(user, read);
                all.add(read);
            }
        });
        if (all.isEmpty()) {
            return new LinkedHashMap<>();
        }
        link.awaitAll(all, "read conversations");
        Map<ConversationId, Map<String, Conversation>> views = new LinkedHashMap<>();
        reads.forEach((conversation, byUser) -> byUser.forEach((user, read) -> {
            List<Object> answer = read.join();
            if (!answer.isEmpty()) {
                views.computeIfAbsent(conversation, c -> new LinkedHashMap<>())
                        .put(user, conversation(conversation, answer, 0));
            }
        }));
        return views;
    }

    private Optional<Conversation> view(String user, ConversationId conversation, String markUpTo) {
        List<Object> answer = link.eval(
                VIEW,
                ScriptOutputType.MULTI,
                new String[] {ids(conversation), meta(conversation), members(conversation)},
                user,
                markUpTo);
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(conversation(conversation, answer, 0));
    }

    @Override
    public List<Conversation> list(String user, ConversationCursor after, int limit) {
        String key = userKey(user);
        checkLimit(limit);
        if (limit == 0) {
            return List.of();
        }
        List<Object> answer = link.eval(LIST, ScriptOutputType.MULTI, new String[] {userSet(key)}, prefix, key);
        List<Conversation> views = new ArrayList<>(answer.size() / 5);
        for (int i = 0; i + 4 < answer.size(); i += 5) {
            Conversation view = conversation(new ConversationId((String) answer.get(i)), answer, i + 1);
            if (after == null || after.precedes(view.activityAt(), view.id())) {
                views.add(view);
            }
        }
        views.sort(LIST_ORDER);
        return List.copyOf(views.subList(0, Math.min(limit, views.size())));
    }

    @Override
    public List<ReadMarker> readMarkers(ConversationId conversation, int limit) {
        Objects.requireNonNull(conversation, "conversation");
        checkLimit(limit);
        Map<String, String> entries = link.await(link.async().hgetall(members(conversation)), "read markers");
        List<ReadMarker> markers = new ArrayList<>();
        entries.forEach((user, entry) -> {
            String read = entry.substring(entry.indexOf('|') + 1);
            if (!read.isEmpty()) {
                markers.add(new ReadMarker(user, read));
            }
        });
        markers.sort(Comparator.comparing(ReadMarker::messageId)
                .thenComparing(ReadMarker::user)
                .reversed());
        return List.copyOf(markers.subList(0, Math.min(limit, markers.size())));
    }

    /** Closes the Redis connection. */
    @Override
    public void close() {
        link.close();
    }

    /** Reads {joined micros, read id, unread, last json} starting at {@code from}. */
    private static Conversation conversation(ConversationId id, List<Object> answer, int from) {
        Instant joined = fromMicros(Long.parseLong((String) answer.get(from)));
        String read = (String) answer.get(from + 1);
        long unread = (Long) answer.get(from + 2);
        String lastJson = (String) answer.get(from + 3);
        ChatMessage last = lastJson.isEmpty() ? null : ChatMessageJson.decode(lastJson);
        Instant activity = last == null || last.createdAt().isBefore(joined) ? joined : last.createdAt();
        return new Conversation(id, last, unread, read.isEmpty() ? null : read, activity);
    }

    private String ids(ConversationId c) {
        return prefix + "conv:ids:" + c.key();
    }

    private String meta(ConversationId c) {
        return prefix + "conv:meta:" + c.key();
    }

    private String members(ConversationId c) {
        return prefix + "conv:members:" + c.key();
    }

    private String userSet(String userKey) {
        return prefix + "conv:user:" + userKey;
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static String userKey(String user) {
        Objects.requireNonNull(user, "user");
        return user.toLowerCase(Locale.ROOT);
    }

    private static void checkMessageId(String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        if (messageId.isEmpty() || messageId.indexOf('|') >= 0) {
            throw new InvalidInputException("messageId", "must be a message id");
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
    }
}
