package io.fatechat.mysql;

import io.fatechat.mysql.internal.SqlErrorClassifier;
import io.fatechat.mysql.internal.SqlTime;
import io.fatechat.spi.ChatException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationCursor;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.NotMemberException;
import io.fatechat.spi.ReadMarker;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConversationStore} on MySQL, MariaDB or H2. Obtain from {@link JdbcChatStores#conversations()}.
 *
 * <p>Every write runs in one transaction that first locks the conversation's row ({@code SELECT ... FOR UPDATE}),
 * so the recorders and markers of one conversation take turns and its counts stay exact across nodes; a batch
 * locks its conversations in key order, so two batches never wait on each other in a cycle. A marker's read count
 * is the conversation's count minus the recorded ids above the marker, which a reader marking the newest message
 * finds in an empty index range. Lists read one row per conversation of the user, never the history.
 */
public final class JdbcConversationStore implements ConversationStore {

    static final int MAX_USER_LENGTH = 320;
    static final int MAX_MESSAGE_ID_LENGTH = JdbcHistoryStore.MAX_ID_LENGTH;

    private static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcConversationStore.class);

    private final Supplier<Jdbi> jdbi;
    private final Tables t;
    /** How a join locks its conversation row. */
    private final String shareLock;

    private final String view;
    private final String viewOfOne;

    JdbcConversationStore(Supplier<Jdbi> jdbi, Tables tables, boolean h2) {
        this.jdbi = jdbi;
        this.t = tables;
        // H2 has no shared row lock (and runs in process, where a join is short)
        this.shareLock = h2 ? " FOR UPDATE" : " LOCK IN SHARE MODE";
        // one member's view, with its activity time computed once so that list can filter and order by it
        this.view = "SELECT * FROM (SELECT c.conversation_key, c.message_count, c.last_message_id, c.last_sender,"
                + " c.last_text, c.last_created_at, c.last_client_id, m.read_message_id, m.read_count, m.user_key,"
                + " CASE WHEN c.last_created_at IS NULL OR c.last_created_at < m.joined_at THEN m.joined_at"
                + " ELSE c.last_created_at END AS activity_at"
                + " FROM " + t.conversationMembers() + " m JOIN " + t.conversations() + " c ON c.id = m.conversation_id"
                + " WHERE m.user_key = ?) v";
        // the same columns for one conversation, without the derived table: read on every unread-count push
        this.viewOfOne = "SELECT c.conversation_key, c.message_count, c.last_message_id, c.last_sender,"
                + " c.last_text, c.last_created_at, c.last_client_id, m.read_message_id, m.read_count, m.user_key,"
                + " CASE WHEN c.last_created_at IS NULL OR c.last_created_at < m.joined_at THEN m.joined_at"
                + " ELSE c.last_created_at END AS activity_at"
                + " FROM " + t.conversations() + " c JOIN " + t.conversationMembers() + " m ON m.conversation_id = c.id"
                + " WHERE c.conversation_key = ? AND m.user_key = ?";
    }

    @Override
    public void join(String user, ConversationId conversation, String readUpTo) {
        String key = userKey(user);
        checkConversation(conversation);
        if (readUpTo != null) {
            checkMessageId(readUpTo);
        }
        Instant now = SqlTime.truncate(Instant.now());
        write("join a conversation", h -> {
            // Shared: joins of one conversation run side by side (1,000 joining one room took 53 s serialized on
            // its row), while a record of its messages waits, so the count a new marker is computed from holds.
            Locked c = lockOrCreate(h, conversation, shareLock);
            if (insertMemberIfAbsent(h, key, c.id, now) && readUpTo != null) {
                advance(h, key, c, readUpTo, null);
            }
            return null;
        });
    }

    @Override
    public boolean leave(String user, ConversationId conversation) {
        String key = userKey(user);
        checkConversation(conversation);
        return write(
                "leave a conversation",
                h -> h.createUpdate("DELETE FROM " + t.conversationMembers()
                                        + " WHERE user_key = ? AND conversation_id = (SELECT id FROM "
                                        + t.conversations()
                                        + " WHERE conversation_key = ?)")
                                .bind(0, key)
                                .bind(1, conversation.key())
                                .execute()
                        > 0);
    }

    @Override
    public void record(List<ChatMessage> batch) {
        Objects.requireNonNull(batch, "batch");
        // by conversation in key order (the lock order), each conversation's messages in id order
        TreeMap<ConversationId, TreeMap<String, ChatMessage>> byConversation = new TreeMap<>();
        for (ChatMessage m : batch) {
            Objects.requireNonNull(m, "message in batch");
            if (m.event()) {
                continue;
            }
            checkConversation(m.conversation());
            check("id", m.id(), MAX_MESSAGE_ID_LENGTH);
            check("sender", m.sender(), MAX_USER_LENGTH);
            check("clientId", m.clientId(), JdbcHistoryStore.MAX_CLIENT_ID_LENGTH);
            check("text", m.text(), JdbcHistoryStore.MAX_TEXT_LENGTH);
            byConversation
                    .computeIfAbsent(m.conversation(), c -> new TreeMap<>())
                    .putIfAbsent(m.id(), m);
        }
        if (byConversation.isEmpty()) {
            return;
        }
        write("record messages", h -> {
            recordAll(h, byConversation);
            return null;
        });
    }

    /**
     * Records a batch with a fixed number of statements however many conversations and senders it touches: one
     * locking read of the conversation rows (in key order), one read of their furthest markers, then one JDBC
     * batch each for the recorded ids, the marker-covered counts, the conversation rows and the senders' markers.
     * Only a conversation that already holds ids at or above the batch's oldest (a redelivery, or a commit that
     * overtook an older one) is asked what it has recorded, and its senders' markers advance one by one.
     */
    private void recordAll(Handle h, TreeMap<ConversationId, TreeMap<String, ChatMessage>> byConversation) {
        Map<ConversationId, Locked> locked = lockOrCreateAll(h, byConversation.keySet());
        Map<Long, String> furthestMarkers = furthestMarkers(h, locked.values());
        List<Recording> recordings = new ArrayList<>();
        for (var entry : byConversation.entrySet()) {
            Locked c = locked.get(entry.getKey());
            List<ChatMessage> messages = List.copyOf(entry.getValue().values());
            // ids are time-ordered and last_message_id is the highest recorded: above it, nothing is recorded yet
            boolean allAboveRecorded = c.lastId == null || messages.get(0).id().compareTo(c.lastId) > 0;
            List<ChatMessage> fresh = allAboveRecorded ? messages : unrecorded(h, c, messages);
            if (!fresh.isEmpty()) {
                recordings.add(new Recording(entry.getKey(), c, fresh, allAboveRecorded));
            }
        }
        if (recordings.isEmpty()) {
            return;
        }
        PreparedBatch directMembers = null;
        PreparedBatch ids = h.prepareBatch(
                "INSERT INTO " + t.conversationMessages() + " (conversation_id, message_id) VALUES (?, ?)");
        PreparedBatch covered = null;
        for (Recording r : recordings) {
            if (r.conversation.isDirect()) {
                if (directMembers == null) {
                    directMembers = h.prepareBatch("INSERT IGNORE INTO " + t.conversationMembers()
                            + " (user_key, conversation_id, joined_at, read_message_id, read_count)"
                            + " VALUES (?, ?, ?, NULL, 0)");
                }
                for (String member : r.conversation.members()) {
                    directMembers
                            .bind(0, member)
                            .bind(1, r.c.id)
                            .bind(2, SqlTime.argument(r.fresh.get(0).createdAt()))
                            .add();
                }
            }
            for (ChatMessage m : r.fresh) {
                ids.bind(0, r.c.id).bind(1, m.id()).add();
            }
            // a message recorded below a member's marker counts as read for that member
            String furthestMarker = furthestMarkers.get(r.c.id);
            if (furthestMarker != null) {
                for (ChatMessage m : r.fresh) {
                    if (m.id().compareTo(furthestMarker) <= 0) {
                        if (covered == null) {
                            covered = h.prepareBatch("UPDATE " + t.conversationMembers()
                                    + " SET read_count = read_count + 1"
                                    + " WHERE conversation_id = ? AND read_message_id >= ?");
                        }
                        covered.bind(0, r.c.id).bind(1, m.id()).add();
                    }
                }
            }
        }
        if (directMembers != null) {
            directMembers.execute();
        }
        ids.execute();
        if (covered != null) {
            covered.execute();
        }
        updateConversations(h, recordings);
        advanceSenders(h, recordings);
    }

    /** One conversation's share of a batch: its locked row and the messages it had not recorded, in id order. */
    private record Recording(
            ConversationId conversation, Locked c, List<ChatMessage> fresh, boolean allAboveRecorded) {}

    /** The messages (in id order) of {@code messages} whose ids the conversation has not recorded. */
    private List<ChatMessage> unrecorded(Handle h, Locked c, List<ChatMessage> messages) {
        Set<String> known = new HashSet<>(h.createQuery("SELECT message_id FROM " + t.conversationMessages()
                        + " WHERE conversation_id = ? AND message_id >= ? AND message_id <= ?")
                .bind(0, c.id)
                .bind(1, messages.get(0).id())
                .bind(2, messages.get(messages.size() - 1).id())
                .mapTo(String.class)
                .list());
        return messages.stream().filter(m -> !known.contains(m.id())).toList();
    }

    private void updateConversations(Handle h, List<Recording> recordings) {
        PreparedBatch withLast = null;
        PreparedBatch countOnly = null;
        for (Recording r : recordings) {
            Locked c = r.c;
            c.count += r.fresh.size();
            ChatMessage newest = r.fresh.get(r.fresh.size() - 1);
            if (c.lastId == null || newest.id().compareTo(c.lastId) > 0) {
                c.lastId = newest.id();
                if (withLast == null) {
                    withLast = h.prepareBatch("UPDATE " + t.conversations()
                            + " SET message_count = ?, last_message_id = ?, last_sender = ?,"
                            + " last_text = ?, last_created_at = ?, last_client_id = ? WHERE id = ?");
                }
                withLast.bind(0, c.count)
                        .bind(1, newest.id())
                        .bind(2, newest.sender())
                        .bind(3, newest.text())
                        .bind(4, SqlTime.argument(newest.createdAt()))
                        .bind(5, newest.clientId())
                        .bind(6, c.id)
                        .add();
            } else {
                if (countOnly == null) {
                    countOnly = h.prepareBatch("UPDATE " + t.conversations() + " SET message_count = ? WHERE id = ?");
                }
                countOnly.bind(0, c.count).bind(1, c.id).add();
            }
        }
        if (withLast != null) {
            withLast.execute();
        }
        if (countOnly != null) {
            countOnly.execute();
        }
    }

    /**
     * A sender has read what it sent: its marker moves to its newest message of the batch. Where the batch was
     * above everything recorded, the ids above that message are the batch's own, so its read count needs no query
     * and one guarded UPDATE per sender does it (a no-op for a non-member or a marker already further); elsewhere
     * the marker advances as {@link #markRead} moves it.
     */
    private void advanceSenders(Handle h, List<Recording> recordings) {
        PreparedBatch markers = null;
        for (Recording r : recordings) {
            Map<String, Integer> newestBySender = new LinkedHashMap<>();
            for (int i = 0; i < r.fresh.size(); i++) {
                newestBySender.put(userKey(r.fresh.get(i).sender()), i);
            }
            for (var sender : newestBySender.entrySet()) {
                String id = r.fresh.get(sender.getValue()).id();
                if (!r.allAboveRecorded) {
                    Member member = lockMember(h, sender.getKey(), r.c.id);
                    if (member != null) {
                        advance(h, sender.getKey(), r.c, id, member);
                    }
                    continue;
                }
                long above = r.fresh.size() - 1L - sender.getValue();
                if (markers == null) {
                    markers = h.prepareBatch(advanceMarker());
                }
                markers.bind(0, id)
                        .bind(1, r.c.count - above)
                        .bind(2, sender.getKey())
                        .bind(3, r.c.id)
                        .bind(4, id)
                        .add();
            }
        }
        if (markers != null) {
            markers.execute();
        }
    }

    private String advanceMarker() {
        return "UPDATE " + t.conversationMembers() + " SET read_message_id = ?, read_count = ?"
                + " WHERE user_key = ? AND conversation_id = ? AND (read_message_id IS NULL OR read_message_id < ?)";
    }

    @Override
    public Conversation markRead(String user, ConversationId conversation, String messageId) {
        String key = userKey(user);
        checkConversation(conversation);
        checkMessageId(messageId);
        write("mark a conversation read", h -> {
            Locked c = lock(h, conversation);
            Member member = c == null ? null : lockMember(h, key, c.id);
            if (member == null) {
                throw new NotMemberException(key, conversation);
            }
            advance(h, key, c, messageId, member);
            return null;
        });
        return find(user, conversation).orElseThrow(() -> new NotMemberException(key, conversation));
    }

    @Override
    public Optional<Conversation> find(String user, ConversationId conversation) {
        String key = userKey(user);
        checkConversation(conversation);
        return read("read a conversation", h -> h.createQuery(viewOfOne)
                .bind(0, conversation.key())
                .bind(1, key)
                .map((rs, ctx) -> conversation(rs))
                .findOne());
    }

    /**
     * One query per 64 (conversation, user) pairs, the pairs in conversation order so that a query's
     * conversations and users go together: its conversation keys and its user keys each in one padded IN list.
     * A row of a member the query did not ask for (a user asked for another of its conversations) is dropped.
     */
    @Override
    public Map<ConversationId, Map<String, Conversation>> findAll(
            Map<ConversationId, ? extends Collection<String>> members) {
        Objects.requireNonNull(members, "members");
        List<Map.Entry<ConversationId, String>> pairs = new ArrayList<>();
        new TreeMap<ConversationId, Collection<String>>(members).forEach((conversation, users) -> {
            checkConversation(conversation);
            for (String user : users) {
                userKey(user);
                pairs.add(Map.entry(conversation, user));
            }
        });
        Map<ConversationId, Map<String, Conversation>> views = new LinkedHashMap<>();
        if (pairs.isEmpty()) {
            return views;
        }
        int largest = IN_LIST_SIZES[IN_LIST_SIZES.length - 1];
        read("read conversations", h -> {
            for (int from = 0; from < pairs.size(); from += largest) {
                List<Map.Entry<ConversationId, String>> chunk =
                        pairs.subList(from, Math.min(pairs.size(), from + largest));
                List<String> keys = inLists(chunk.stream()
                                .map(p -> p.getKey().key())
                                .distinct()
                                .toList())
                        .get(0);
                List<String> users = inLists(chunk.stream()
                                .map(p -> userKey(p.getValue()))
                                .distinct()
                                .sorted()
                                .toList())
                        .get(0);
                Query query = h.createQuery(viewOfMany(keys.size(), users.size()));
                int i = 0;
                for (String key : keys) {
                    query.bind(i++, key);
                }
                for (String user : users) {
                    query.bind(i++, user);
                }
                Map<Map.Entry<String, String>, Conversation> found = new HashMap<>();
                query.map((rs, ctx) -> Map.entry(
                                Map.entry(rs.getString("conversation_key"), rs.getString("user_key")),
                                conversation(rs)))
                        .forEach(e -> found.put(e.getKey(), e.getValue()));
                for (Map.Entry<ConversationId, String> pair : chunk) {
                    Conversation view = found.get(Map.entry(pair.getKey().key(), userKey(pair.getValue())));
                    if (view != null) {
                        views.computeIfAbsent(pair.getKey(), c -> new LinkedHashMap<>())
                                .put(pair.getValue(), view);
                    }
                }
            }
            return null;
        });
        return views;
    }

    private String viewOfMany(int conversations, int users) {
        return viewOfOne.replace(
                "c.conversation_key = ? AND m.user_key = ?",
                "c.conversation_key IN (" + placeholders(conversations) + ") AND m.user_key IN (" + placeholders(users)
                        + ")");
    }

    @Override
    public List<Conversation> list(String user, ConversationCursor after, int limit) {
        String key = userKey(user);
        checkLimit(limit);
        if (limit == 0) {
            return List.of();
        }
        return read("list conversations", h -> {
            var query = after == null
                    ? h.createQuery(view + " ORDER BY activity_at DESC, conversation_key DESC LIMIT ?")
                            .bind(0, key)
                            .bind(1, limit)
                    : h.createQuery(view + " WHERE activity_at < ? OR (activity_at = ? AND conversation_key < ?)"
                                    + " ORDER BY activity_at DESC, conversation_key DESC LIMIT ?")
                            .bind(0, key)
                            .bind(1, SqlTime.argument(after.activityAt()))
                            .bind(2, SqlTime.argument(after.activityAt()))
                            .bind(3, after.conversation().key())
                            .bind(4, limit);
            return List.copyOf(query.map((rs, ctx) -> conversation(rs)).list());
        });
    }

    @Override
    public List<ReadMarker> readMarkers(ConversationId conversation, int limit) {
        checkConversation(conversation);
        checkLimit(limit);
        if (limit == 0) {
            return List.of();
        }
        return read(
                "read markers",
                h -> List.copyOf(h.createQuery("SELECT m.user_key, m.read_message_id FROM "
                                + t.conversationMembers() + " m JOIN " + t.conversations()
                                + " c ON c.id = m.conversation_id"
                                + " WHERE c.conversation_key = ? AND m.read_message_id IS NOT NULL"
                                + " ORDER BY m.read_message_id DESC, m.user_key DESC LIMIT ?")
                        .bind(0, conversation.key())
                        .bind(1, limit)
                        .map((rs, ctx) -> new ReadMarker(rs.getString(1), rs.getString(2)))
                        .list()));
    }

    /** Does nothing: the pool belongs to {@link JdbcChatStores}. */
    @Override
    public void close() {}

    // ---- locked steps of a write transaction

    /** A conversation's row, locked for the rest of the transaction. */
    private static final class Locked {
        final long id;
        long count;
        String lastId;

        Locked(long id, long count, String lastId) {
            this.id = id;
            this.count = count;
            this.lastId = lastId;
        }
    }

    private record Member(String readId) {}

    /**
     * Largest number of keys in one IN list, and the only list lengths used: a shorter list is padded by
     * repeating its last key, so a handful of statement shapes serve every batch (H2 caches a few parsed
     * statements per session, and an IN of any length would be parsed anew).
     */
    private static final int[] IN_LIST_SIZES = {1, 4, 16, 64};

    /**
     * Every conversation row of {@code conversations}, locked for the rest of the transaction; a missing row is
     * created first. One locking read per 64 keys, sent in key order as every writer sends them.
     */
    private Map<ConversationId, Locked> lockOrCreateAll(Handle h, Set<ConversationId> conversations) {
        Map<ConversationId, Locked> locked = lockAll(h, conversations);
        if (locked.size() < conversations.size()) {
            PreparedBatch create = h.prepareBatch(
                    "INSERT IGNORE INTO " + t.conversations() + " (conversation_key, message_count) VALUES (?, 0)");
            List<ConversationId> missing = new ArrayList<>();
            for (ConversationId conversation : conversations) {
                if (!locked.containsKey(conversation)) {
                    create.bind(0, conversation.key()).add();
                    missing.add(conversation);
                }
            }
            create.execute();
            locked.putAll(lockAll(h, new TreeSet<>(missing)));
            for (ConversationId conversation : missing) {
                Objects.requireNonNull(locked.get(conversation), "conversation row after insert");
            }
        }
        return locked;
    }

    private Map<ConversationId, Locked> lockAll(Handle h, Set<ConversationId> conversations) {
        Map<ConversationId, Locked> locked = new HashMap<>();
        for (List<String> keys :
                inLists(conversations.stream().map(ConversationId::key).toList())) {
            Query query = h.createQuery("SELECT id, message_count, last_message_id, conversation_key FROM "
                    + t.conversations() + " WHERE conversation_key IN (" + placeholders(keys.size()) + ")"
                    + " ORDER BY conversation_key FOR UPDATE");
            for (int i = 0; i < keys.size(); i++) {
                query.bind(i, keys.get(i));
            }
            query.map((rs, ctx) -> Map.entry(
                            new ConversationId(rs.getString(4)),
                            new Locked(rs.getLong(1), rs.getLong(2), rs.getString(3))))
                    .forEach(e -> locked.put(e.getKey(), e.getValue()));
        }
        return locked;
    }

    /** Conversation row id -> the furthest read marker of its members, for the conversations that have one. */
    private Map<Long, String> furthestMarkers(Handle h, Collection<Locked> conversations) {
        Map<Long, String> furthest = new HashMap<>();
        for (List<Long> ids :
                inLists(conversations.stream().map(c -> c.id).sorted().toList())) {
            Query query = h.createQuery("SELECT conversation_id, MAX(read_message_id) FROM "
                    + t.conversationMembers() + " WHERE conversation_id IN (" + placeholders(ids.size()) + ")"
                    + " GROUP BY conversation_id");
            for (int i = 0; i < ids.size(); i++) {
                query.bind(i, ids.get(i).longValue());
            }
            query.map((rs, ctx) -> Map.entry(rs.getLong(1), Optional.ofNullable(rs.getString(2))))
                    .forEach(e -> e.getValue().ifPresent(marker -> furthest.put(e.getKey(), marker)));
        }
        return furthest;
    }

    /** {@code values} in lists of the {@link #IN_LIST_SIZES}, each padded with its last value. */
    static <T> List<List<T>> inLists(List<T> values) {
        int largest = IN_LIST_SIZES[IN_LIST_SIZES.length - 1];
        List<List<T>> lists = new ArrayList<>();
        for (int from = 0; from < values.size(); from += largest) {
            List<T> list = new ArrayList<>(values.subList(from, Math.min(values.size(), from + largest)));
            int size = 0;
            for (int candidate : IN_LIST_SIZES) {
                if (candidate >= list.size()) {
                    size = candidate;
                    break;
                }
            }
            T last = list.get(list.size() - 1);
            while (list.size() < size) {
                list.add(last);
            }
            lists.add(list);
        }
        return lists;
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private Locked lock(Handle h, ConversationId conversation) {
        return lock(h, conversation, " FOR UPDATE");
    }

    private Locked lock(Handle h, ConversationId conversation, String lockClause) {
        return h.createQuery("SELECT id, message_count, last_message_id FROM " + t.conversations()
                        + " WHERE conversation_key = ?" + lockClause)
                .bind(0, conversation.key())
                .map((rs, ctx) -> new Locked(rs.getLong(1), rs.getLong(2), rs.getString(3)))
                .findOne()
                .orElse(null);
    }

    private Locked lockOrCreate(Handle h, ConversationId conversation, String lockClause) {
        Locked c = lock(h, conversation, lockClause);
        if (c != null) {
            return c;
        }
        h.createUpdate("INSERT IGNORE INTO " + t.conversations() + " (conversation_key, message_count) VALUES (?, 0)")
                .bind(0, conversation.key())
                .execute();
        return Objects.requireNonNull(lock(h, conversation, lockClause), "conversation row after insert");
    }

    /** The member's row, locked; null when not a member. */
    private Member lockMember(Handle h, String user, long conversationId) {
        return h.createQuery("SELECT read_message_id FROM " + t.conversationMembers()
                        + " WHERE user_key = ? AND conversation_id = ? FOR UPDATE")
                .bind(0, user)
                .bind(1, conversationId)
                .map((rs, ctx) -> new Member(rs.getString(1)))
                .findOne()
                .orElse(null);
    }

    /**
     * True when the user was not a member yet. No locking read first: on InnoDB, joiners that each gap-locked the
     * absent row would deadlock on their inserts.
     */
    private boolean insertMemberIfAbsent(Handle h, String user, long conversationId, Instant joinedAt) {
        return h.createUpdate(
                                "INSERT IGNORE INTO " + t.conversationMembers()
                                        + " (user_key, conversation_id, joined_at, read_message_id, read_count) VALUES (?, ?, ?, NULL, 0)")
                        .bind(0, user)
                        .bind(1, conversationId)
                        .bind(2, SqlTime.argument(joinedAt))
                        .execute()
                > 0;
    }

    /** Moves the marker forward: its read count is the conversation's count minus the recorded ids above it. */
    private void advance(Handle h, String user, Locked c, String messageId, Member member) {
        if (member != null && member.readId() != null && member.readId().compareTo(messageId) >= 0) {
            return;
        }
        long above = h.createQuery("SELECT COUNT(*) FROM " + t.conversationMessages()
                        + " WHERE conversation_id = ? AND message_id > ?")
                .bind(0, c.id)
                .bind(1, messageId)
                .mapTo(Long.class)
                .one();
        h.createUpdate(
                        "UPDATE " + t.conversationMembers() + " SET read_message_id = ?, read_count = ?"
                                + " WHERE user_key = ? AND conversation_id = ? AND (read_message_id IS NULL OR read_message_id < ?)")
                .bind(0, messageId)
                .bind(1, c.count - above)
                .bind(2, user)
                .bind(3, c.id)
                .bind(4, messageId)
                .execute();
    }

    // ---- plumbing

    private static Conversation conversation(ResultSet rs) throws SQLException {
        ConversationId id = new ConversationId(rs.getString("conversation_key"));
        String lastId = rs.getString("last_message_id");
        ChatMessage last = lastId == null
                ? null
                : new ChatMessage(
                        lastId,
                        id,
                        rs.getString("last_sender"),
                        rs.getString("last_text"),
                        false,
                        SqlTime.read(rs, rs.findColumn("last_created_at")),
                        rs.getString("last_client_id"));
        long unread = rs.getLong("message_count") - rs.getLong("read_count");
        return new Conversation(
                id,
                last,
                Math.max(0, unread),
                rs.getString("read_message_id"),
                SqlTime.read(rs, rs.findColumn("activity_at")));
    }

    /** Runs a write transaction, again on a deadlock or lock timeout: every step is idempotent under the lock. */
    private <T> T write(String what, HandleCallback<T, RuntimeException> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.get().inTransaction(work);
            } catch (RuntimeException e) {
                if (attempt < MAX_ATTEMPTS && !(e instanceof ChatException) && SqlErrorClassifier.isLockNotGranted(e)) {
                    LOG.debug("Conversation write '{}' hit a lock conflict; retrying (attempt {})", what, attempt);
                    continue;
                }
                throw SqlErrorClassifier.translate(what, e);
            }
        }
    }

    private <T> T read(String what, HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.get().withHandle(work);
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate(what, e);
        }
    }

    private static String userKey(String user) {
        Objects.requireNonNull(user, "user");
        check("user", user, MAX_USER_LENGTH);
        return user.toLowerCase(Locale.ROOT);
    }

    private static void checkConversation(ConversationId conversation) {
        Objects.requireNonNull(conversation, "conversation");
        check("conversation", conversation.key(), JdbcHistoryStore.MAX_CONVERSATION_KEY_LENGTH);
    }

    private static void checkMessageId(String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        if (messageId.isEmpty()) {
            throw new InvalidInputException("messageId", "must not be empty");
        }
        check("messageId", messageId, MAX_MESSAGE_ID_LENGTH);
    }

    private static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
    }

    private static void check(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidInputException(
                    field, "longer than the " + max + " characters the conversation store holds");
        }
    }
}
