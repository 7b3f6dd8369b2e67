package io.fatechat.mysql;

import io.fatechat.mysql.internal.SqlErrorClassifier;
import io.fatechat.mysql.internal.SqlTime;
import io.fatechat.spi.EmailTakenException;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.User;
import io.fatechat.spi.UserStore;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link UserStore} on MySQL, MariaDB or H2. E-mails are unique case-insensitively through a lower-cased key
 * column; only the password hash is stored. Obtain from {@link JdbcChatStores#users()}.
 */
public final class JdbcUserStore implements UserStore {

    static final int MAX_EMAIL_LENGTH = 320;
    static final int MAX_HASH_LENGTH = 255;

    private final Supplier<Jdbi> jdbi;
    private final String insert;
    private final String selectByKey;
    private final String revoke;
    private final String exists;

    JdbcUserStore(Supplier<Jdbi> jdbi, Tables tables) {
        this.jdbi = jdbi;
        this.insert =
                "INSERT INTO " + tables.users() + " (email_key, email, password_hash, created_at) VALUES (?, ?, ?, ?)";
        this.selectByKey = "SELECT email, password_hash, created_at, tokens_revoked_before FROM " + tables.users()
                + " WHERE email_key = ?";
        // Only ever moves forward, so concurrent revocations (and replays of the bus event) keep the latest.
        this.revoke = "UPDATE " + tables.users() + " SET tokens_revoked_before = ? WHERE email_key = ?"
                + " AND (tokens_revoked_before IS NULL OR tokens_revoked_before < ?)";
        this.exists = "SELECT 1 FROM " + tables.users() + " WHERE email_key = ?";
    }

    @Override
    public User create(User user) {
        Objects.requireNonNull(user, "user");
        if (user.email().isBlank() || user.email().length() > MAX_EMAIL_LENGTH) {
            throw new InvalidInputException("email", "must be 1 to " + MAX_EMAIL_LENGTH + " characters");
        }
        if (user.passwordHash().isEmpty() || user.passwordHash().length() > MAX_HASH_LENGTH) {
            throw new InvalidInputException("passwordHash", "must be 1 to " + MAX_HASH_LENGTH + " characters");
        }
        User stored = new User(user.email(), user.passwordHash(), SqlTime.truncate(user.createdAt()));
        try {
            jdbi.get().useHandle(h -> h.createUpdate(insert)
                    .bind(0, key(stored.email()))
                    .bind(1, stored.email())
                    .bind(2, stored.passwordHash())
                    .bind(3, SqlTime.argument(stored.createdAt()))
                    .execute());
            return stored;
        } catch (RuntimeException e) {
            if (SqlErrorClassifier.isDuplicateKey(e)) {
                throw new EmailTakenException(user.email());
            }
            throw SqlErrorClassifier.translate("create a user", e);
        }
    }

    @Override
    public Optional<User> findByEmail(String email) {
        Objects.requireNonNull(email, "email");
        if (email.length() > MAX_EMAIL_LENGTH) {
            return Optional.empty();
        }
        try {
            return jdbi.get().withHandle(h -> h.createQuery(selectByKey)
                    .bind(0, key(email))
                    .map((rs, ctx) -> {
                        long revokedBefore = rs.getLong(4);
                        Instant revoked = rs.wasNull() ? null : Instant.ofEpochMilli(revokedBefore);
                        return new User(rs.getString(1), rs.getString(2), SqlTime.read(rs, 3), revoked);
                    })
                    .findOne());
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate("find a user", e);
        }
    }

    /** Stored in epoch milliseconds, the precision of token issue times. */
    @Override
    public boolean revokeTokens(String email, Instant before) {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(before, "before");
        if (email.length() > MAX_EMAIL_LENGTH) {
            return false;
        }
        long millis = before.toEpochMilli();
        try {
            return jdbi.get()
                    .inTransaction(h -> h.createUpdate(revoke)
                                            .bind(0, millis)
                                            .bind(1, key(email))
                                            .bind(2, millis)
                                            .execute()
                                    > 0
                            || h.createQuery(exists)
                                    .bind(0, key(email))
                                    .mapTo(Integer.class)
                                    .findOne()
                                    .isPresent());
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.translate("revoke a user's tokens", e);
        }
    }

    /** Does nothing: the pool belongs to {@link JdbcChatStores}. */
    @Override
    public void close() {}

    private static String key(String email) {
        return email.toLowerCase(Locale.ROOT);
    }
}
