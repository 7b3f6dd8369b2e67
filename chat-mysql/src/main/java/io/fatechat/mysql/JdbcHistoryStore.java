package io.fatechat.mysql;

import io.fatechat.mysql.internal.SqlErrorClassifier;
import io.fatechat.mysql.internal.SqlTime;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.InvalidInputException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HistoryStore} on MySQL, MariaDB or H2. Obtain from {@link JdbcChatStores#history()}.
 *
 * <p>{@link #append} writes a batch as one multi-row {@code INSERT ... ON DUPLICATE KEY UPDATE id = id}: a message
 * whose id, or whose sender and client id, is stored already is skipped, so a redelivered batch changes nothing.
 * Unlike {@code INSERT IGNORE}, it skips nothing but duplicates: an over-long value fails the batch rather than
 * being silently truncated. Batches above {@value #ROWS_PER_STATEMENT} messages are split into statements
 * of one transaction, so a batch is stored completely or not at all.
 *
 * <p>Pages read newest first (and {@link #after} oldest first) through the {@code (conversation_key, id)} index; a private conversation is stored
 * under its {@link ConversationId#key()}, which names both members, so no other conversation's key reaches it.
 */
public final class JdbcHistoryStore implements HistoryStore {

    /** Rows per INSERT statement: far below any packet or placeholder limit. */
    static final int ROWS_PER_STATEMENT = 1000;

    /**
     * The only row counts an INSERT is prepared with, largest first. A group-committed batch can have any size, and
     * a statement per size would be parsed anew almost every time (H2 caches 8 statements per session): built from
     * these few shapes, every statement is one the database has parsed before.
     */
    static final int[] STATEMENT_ROWS = {ROWS_PER_STATEMENT, 256, 64, 16, 4, 1};

    static final int MAX_ID_LENGTH = 64;
    static final int MAX_CONVERSATION_KEY_LENGTH = 645;
    static final int MAX_SENDER_LENGTH = 320;
    static final int MAX_CLIENT_ID_LENGTH = 128;
    /** MEDIUMTEXT holds 16 MiB of UTF-8: up to 4 bytes a code point. */
    static final int MAX_TEXT_LENGTH = (16 * 1024 * 1024 - 1) / 4;

    private static final String COLUMNS =
            "id, conversation_key, sender, sender_key, message_text, is_event, created_at, client_id";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int PARAMETERS_PER_ROW = 8;
    private static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcHistoryStore.class);

    private final Supplier<Jdbi> jdbi;
    private final String insertHead;
    private final String newest;
    private final String older;
    private final String byClientId;
    private final String newer;

    JdbcHistoryStore(Supplier<Jdbi> jdbi, Tables tables) {
        this.jdbi = jdbi;
        String select = "SELECT " + COLUMNS + " FROM " + tables.messages();
        this.insertHead = "INSERT INTO " + tables.messages() + " (" + COLUMNS + ") VALUES ";
        this.newest = select + " WHERE conversation_key = ? ORDER BY id DESC LIMIT ?";
        this.older = select + " WHERE conversation_key = ? AND id < ? ORDER BY id DESC LIMIT ?";
        this.newer = select + " WHERE conversation_key = ? AND id > ? ORDER BY id ASC LIMIT ?";
        this.byClientId = select + " WHERE sender_key = ? AND client_id = ?";
    }

    @Override
    public void append(List<ChatMessage> batch) {
        Objects.requireNonNull(batch, "batch");
        for (ChatMessage message : batch) {
            validate(Objects.requireNonNull(message, "message in batch"));
        }
        if (batch.isEmpty()) {
            return;
        }
        List<ChatMessage> rows = inIdOrder(batch);
        for (int attempt = 1; ; attempt++) {
            try {
                Jdbi db = jdbi.get();
                List<Integer> sizes = statementSizes(rows.size());
                if (sizes.size() == 1) {
                    db.useHandle(h -> insert(h, rows));
                } else {
                    db.useTransaction(h -> {
                        int from = 0;
                        for (int size : sizes) {
                            insert(h, rows.subList(from, from + size));
                            from += size;
                        }
                    });
                }
                return;
            } catch (SQLException | RuntimeException e) {
                // Two writers of overlapping batches (a redelivery racing the original) can deadlock; the statement
                // is idempotent and rolled back whole, so running it again is safe.
                if (attempt < MAX_ATTEMPTS && SqlErrorClassifier.isLockNotGranted(e)) {
                    LOG.debug("History batch of {} hit a lock conflict; retrying (attempt {})", rows.size(), attempt);
                    continue;
                }
                throw SqlErrorClassifier.translate("append history", e);
            }
        }
    }

    /**
     * The batch without repeated ids, sorted by id: writers then take row locks in one order, which keeps
     * overlapping batches from deadlocking each other, and the database never sees a duplicate of its own rows.
     */
    private static List<ChatMessage> inIdOrder(List<ChatMessage> batch) {
        TreeMap<String, ChatMessage> byId = new TreeMap<>();
        for (ChatMessage message : batch) {
            byId.putIfAbsent(message.id(), message);
        }
        return new ArrayList<>(byId.values());
    }

    /** Splits {@code rows} into statements of the sizes in {@link #STATEMENT_ROWS}, largest first. */
    static List<Integer> statementSizes(int rows) {
        List<Integer> sizes = new ArrayList<>();
        int left = rows;
        for (int size : STATEMENT_ROWS) {
            for (; left >= size; left -= size) {
                sizes.add(size);
            }
        }
        return sizes;
    }

    /**
     * Plain JDBC rather than a Jdbi statement: the SQL differs with the batch size, and Jdbi would parse and cache
     * every variant of a statement that can be tens of kilobytes long.
     */
    private void insert(Handle handle, List<ChatMessage> rows) throws SQLException {
        StringBuilder sql =
                new StringBuilder(insertHead.length() + rows.size() * (ROW.length() + 2) + 40).append(insertHead);
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(ROW);
        }
        sql.append(" ON DUPLICATE KEY UPDATE id = id");
        try (PreparedStatement insert = handle.getConnection().prepareStatement(sql.toString())) {
            int p = 1;
            for (ChatMessage m : rows) {
                insert.setString(p++, m.id());
                insert.setString(p++, m.conversation().key());
                insert.setString(p++, m.sender());
                insert.setString(p++, senderKey(m.sender()));
                insert.setString(p++, m.text());
                insert.setBoolean(p++, m.event());
                insert.setString(p++, SqlTime.format(m.createdAt()));
                insert.setString(p++, m.clientId());
            }
            assert p == rows.size() * PARAMETERS_PER_ROW + 1;
            insert.executeUpdate();
        }
    }

    @Override
    public List<ChatMessage> page(ConversationId conversation, String beforeId, int limit) {
        Objects.requireNonNull(conversation, "conversation");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (limit == 0 || conversation.key().length() > MAX_CONVERSATION_KEY_LENGTH) {
            return List.of();
        }
        try {
            return jdbi.get().withHandle(h -> {
                var query = beforeId == null
                        ? h.createQuery(newest).bind(0, conversation.key()).bind(1, limit)
                        : h.createQuery(older)
                                .bind(0, conversation.key())
                                .bind(1, beforeId)
                                .bind(2, limit);
                return List.copyOf(query.map((rs, ctx) -> message(rs)).list());
            });
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate("read history", e);
        }
    }

    @Override
    public List<ChatMessage> after(ConversationId conversation, String afterId, int limit) {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(afterId, "afterId");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (limit == 0 || conversation.key().length() > MAX_CONVERSATION_KEY_LENGTH) {
            return List.of();
        }
        try {
            return jdbi.get()
                    .withHandle(h -> List.copyOf(h.createQuery(newer)
                            .bind(0, conversation.key())
                            .bind(1, afterId)
                            .bind(2, limit)
                            .map((rs, ctx) -> message(rs))
                            .list()));
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate("read history", e);
        }
    }

    @Override
    public Optional<ChatMessage> findByClientId(String sender, String clientId) {
        Objects.requireNonNull(sender, "sender");
        if (clientId == null
                || clientId.isEmpty()
                || clientId.length() > MAX_CLIENT_ID_LENGTH
                || sender.length() > MAX_SENDER_LENGTH) {
            return Optional.empty();
        }
        try {
            return jdbi.get().withHandle(h -> h.createQuery(byClientId)
                    .bind(0, senderKey(sender))
                    .bind(1, clientId)
                    .map((rs, ctx) -> message(rs))
                    .findOne());
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate("read history", e);
        }
    }

    /** Does nothing: the pool belongs to {@link JdbcChatStores}. */
    @Override
    public void close() {}

    private static ChatMessage message(ResultSet rs) throws SQLException {
        return new ChatMessage(
                rs.getString(1),
                new ConversationId(rs.getString(2)),
                rs.getString(3),
                rs.getString(5),
                rs.getBoolean(6),
                SqlTime.read(rs, 7),
                rs.getString(8));
    }

    /** Rejects what the columns cannot hold, naming the field, before anything is written. */
    private static void validate(ChatMessage m) {
        check("id", m.id(), MAX_ID_LENGTH);
        check("conversation", m.conversation().key(), MAX_CONVERSATION_KEY_LENGTH);
        check("sender", m.sender(), MAX_SENDER_LENGTH);
        check("text", m.text(), MAX_TEXT_LENGTH);
        if (m.clientId() != null) {
            check("clientId", m.clientId(), MAX_CLIENT_ID_LENGTH);
        }
    }

    private static void check(String field, String value, int max) {
        if (value.length() > max) {
            throw new InvalidInputException(field, "longer than the " + max + " characters the history store holds");
        }
    }

    /** Senders compare case-insensitively for client-id de-duplication, like e-mails everywhere else. */
    private static String senderKey(String sender) {
        return sender.toLowerCase(Locale.ROOT);
    }
}
