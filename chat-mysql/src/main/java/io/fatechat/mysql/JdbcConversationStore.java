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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
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
    private final String view;

    JdbcConversationStore(Supplier<Jdbi> jdbi, Tables tables) {
        this.jdbi = jdbi;
        this.t = tables;
        // one member's view, with its activity time computed once so that list can filter and order by it
        this.view = "SELECT * FROM (SELECT c.conversation_key, c.message_count, c.last_message_id, c.last_sender,"
                + " c.last_text, c.last_created_at, c.last_client_id, m.read_message_id, m.read_count, m.user_key,"
                + " CASE WHEN c.last_created_at IS NULL OR c.last_created_at < m.joined_at THEN m.joined_at"
                + " ELSE c.last_created_at END AS activity_at"
                + " FROM " + t.conversationMembers() + " m JOIN " + t.conversations() + " c ON c.id = m.conversation_id"
                + " WHERE m.user_key = ?) v";
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
            Locked c = lockOrCreate(h, conversation);
            if (lockMember(h, key, c.id) == null) {
                insertMember(h, key, c.id, now);
                if (readUpTo != null) {
                    advance(h, key, c, readUpTo, null);
                }
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
            byConversation.forEach(
                    (conversation, messages) -> recordInto(h, conversation, List.copyOf(messages.values())));
            return null;
        });
    }

    private void recordInto(Handle h, ConversationId conversation, List<ChatMessage> messages) {
        Locked c = lockOrCreate(h, conversation);
        Set<String> known = new HashSet<>(h.createQuery("SELECT message_id FROM " + t.conversationMessages()
                        + " WHERE conversation_id = ? AND message_id >= ? AND message_id <= ?")
                .bind(0, c.id)
                .bind(1, messages.get(0).id())
                .bind(2, messages.get(messages.size() - 1).id())
                .mapTo(String.class)
                .list());
        List<ChatMessage> fresh =
                messages.stream().filter(m -> !known.contains(m.id())).toList();
        if (fresh.isEmpty()) {
            return;
        }
        if (conversation.isDirect()) {
            for (String member : conversation.members()) {
                h.createUpdate(
                                "INSERT IGNORE INTO " + t.conversationMembers()
                                        + " (user_key, conversation_id, joined_at, read_message_id, read_count) VALUES (?, ?, ?, NULL, 0)")
                        .bind(0, member)
                        .bind(1, c.id)
                        .bind(2, SqlTime.argument(fresh.get(0).createdAt()))
                        .execute();
            }
        }
        var insert = h.prepareBatch(
                "INSERT INTO " + t.conversationMessages() + " (conversation_id, message_id) VALUES (?, ?)");
        for (ChatMessage m : fresh) {
            insert.bind(0, c.id).bind(1, m.id()).add();
        }
        insert.execute();
        // a message recorded below a member's marker counts as read for that member
        String furthestMarker = h.createQuery(
                        "SELECT MAX(read_message_id) FROM " + t.conversationMembers() + " WHERE conversation_id = ?")
                .bind(0, c.id)
                .mapTo(String.class)
                .one();
        if (furthestMarker != null) {
            for (ChatMessage m : fresh) {
                if (m.id().compareTo(furthestMarker) <= 0) {
                    h.createUpdate("UPDATE " + t.conversationMembers() + " SET read_count = read_count + 1"
                                    + " WHERE conversation_id = ? AND read_message_id >= ?")
                            .bind(0, c.id)
                            .bind(1, m.id())
                            .execute();
                }
            }
        }
        c.count += fresh.size();
        ChatMessage newest = fresh.get(fresh.size() - 1);
        if (c.lastId == null || newest.id().compareTo(c.lastId) > 0) {
            c.lastId = newest.id();
            h.createUpdate("UPDATE " + t.conversations()
                            + " SET message_count = ?, last_message_id = ?, last_sender = ?,"
                            + " last_text = ?, last_created_at = ?, last_client_id = ? WHERE id = ?")
                    .bind(0, c.count)
                    .bind(1, newest.id())
                    .bind(2, newest.sender())
                    .bind(3, newest.text())
                    .bind(4, SqlTime.argument(newest.createdAt()))
                    .bind(5, newest.clientId())
                    .bind(6, c.id)
                    .execute();
        } else {
            h.createUpdate("UPDATE " + t.conversations() + " SET message_count = ? WHERE id = ?")
                    .bind(0, c.count)
                    .bind(1, c.id)
                    .execute();
        }
        Map<String, String> newestBySender = new LinkedHashMap<>();
        for (ChatMessage m : fresh) {
            newestBySender.put(userKey(m.sender()), m.id());
        }
        newestBySender.forEach((sender, id) -> {
            Member member = lockMember(h, sender, c.id);
            if (member != null) {
                advance(h, sender, c, id, member);
            }
        });
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
        return read("read a conversation", h -> h.createQuery(view + " WHERE conversation_key = ?")
                .bind(0, key)
                .bind(1, conversation.key())
                .map((rs, ctx) -> conversation(rs))
                .findOne());
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

    private Locked lock(Handle h, ConversationId conversation) {
        return h.createQuery("SELECT id, message_count, last_message_id FROM " + t.conversations()
                        + " WHERE conversation_key = ? FOR UPDATE")
                .bind(0, conversation.key())
                .map((rs, ctx) -> new Locked(rs.getLong(1), rs.getLong(2), rs.getString(3)))
                .findOne()
                .orElse(null);
    }

    private Locked lockOrCreate(Handle h, ConversationId conversation) {
        Locked c = lock(h, conversation);
        if (c != null) {
            return c;
        }
        h.createUpdate("INSERT IGNORE INTO " + t.conversations() + " (conversation_key, message_count) VALUES (?, 0)")
                .bind(0, conversation.key())
                .execute();
        return Objects.requireNonNull(lock(h, conversation), "conversation row after insert");
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

    private void insertMember(Handle h, String user, long conversationId, Instant joinedAt) {
        h.createUpdate(
                        "INSERT INTO " + t.conversationMembers()
                                + " (user_key, conversation_id, joined_at, read_message_id, read_count) VALUES (?, ?, ?, NULL, 0)")
                .bind(0, user)
                .bind(1, conversationId)
                .bind(2, SqlTime.argument(joinedAt))
                .execute();
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
