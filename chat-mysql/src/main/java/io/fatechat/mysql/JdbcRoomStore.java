package io.fatechat.mysql;

import io.fatechat.mysql.internal.SqlErrorClassifier;
import io.fatechat.mysql.internal.SqlTime;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.Room;
import io.fatechat.spi.RoomExistsException;
import io.fatechat.spi.RoomStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link RoomStore} on MySQL, MariaDB or H2. Names are unique case-insensitively through a lower-cased key
 * column; ids come from {@code AUTO_INCREMENT}. Obtain from {@link JdbcChatStores#rooms()}.
 */
public final class JdbcRoomStore implements RoomStore {

    /** The longest room name the schema holds (ChatLimits caps names at the same). */
    public static final int MAX_NAME_LENGTH = 191;

    private final Supplier<Jdbi> jdbi;
    private final String insert;
    private final String selectByKey;
    private final String selectById;
    private final String selectAll;

    JdbcRoomStore(Supplier<Jdbi> jdbi, Tables tables) {
        this.jdbi = jdbi;
        String columns = "SELECT id, name, created_at FROM " + tables.rooms();
        this.insert = "INSERT INTO " + tables.rooms() + " (name, name_key, created_at) VALUES (?, ?, ?)";
        this.selectByKey = columns + " WHERE name_key = ?";
        this.selectById = columns + " WHERE id = ?";
        this.selectAll = columns + " ORDER BY id";
    }

    @Override
    public Room create(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new InvalidInputException("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        Instant now = SqlTime.truncate(Instant.now());
        try {
            long id = jdbi.get().withHandle(h -> h.createUpdate(insert)
                    .bind(0, name)
                    .bind(1, key(name))
                    .bind(2, SqlTime.argument(now))
                    .executeAndReturnGeneratedKeys("id")
                    .map((rs, ctx) -> rs.getLong(1))
                    .one());
            return new Room(id, name, now);
        } catch (RuntimeException e) {
            if (SqlErrorClassifier.isDuplicateKey(e)) {
                throw new RoomExistsException(name);
            }
            throw SqlErrorClassifier.translate("create a room", e);
        }
    }

    @Override
    public Optional<Room> findByName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.empty();
        }
        try {
            return jdbi.get().withHandle(h -> h.createQuery(selectByKey)
                    .bind(0, key(name))
                    .map((rs, ctx) -> room(rs))
                    .findOne());
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate("find a room", e);
        }
    }

    @Override
    public Optional<Room> findById(long id) {
        try {
            return jdbi.get().withHandle(h -> h.createQuery(selectById)
                    .bind(0, id)
                    .map((rs, ctx) -> room(rs))
                    .findOne());
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate("find a room", e);
        }
    }

    @Override
    public List<Room> list() {
        try {
            return jdbi.get()
                    .withHandle(h ->
                            h.createQuery(selectAll).map((rs, ctx) -> room(rs)).list());
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate("list rooms", e);
        }
    }

    /** Does nothing: the pool belongs to {@link JdbcChatStores}. */
    @Override
    public void close() {}

    private static Room room(ResultSet rs) throws SQLException {
        return new Room(rs.getLong(1), rs.getString(2), SqlTime.read(rs, 3));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
