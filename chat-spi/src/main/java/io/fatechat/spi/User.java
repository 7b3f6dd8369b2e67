package io.fatechat.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered user.
 *
 * @param email the e-mail as registered (lower-cased by the engine); the user's identity everywhere
 * @param passwordHash the password hash in its self-describing format (e.g. {@code $2a$10$...}); never the password
 * @param createdAt when the account was created
 * @param tokensRevokedBefore tokens of this user issued at or before this instant are void (logout everywhere);
 *        {@code null} when none was ever revoked. Stored so that every node, including one started later, refuses
 *        them; set through {@link UserStore#revokeTokens}
 */
public record User(String email, String passwordHash, Instant createdAt, Instant tokensRevokedBefore) {

    public User {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A user whose tokens were never revoked. */
    public User(String email, String passwordHash, Instant createdAt) {
        this(email, passwordHash, createdAt, null);
    }

    @Override
    public String toString() {
        return "User[email=" + email + ", createdAt=" + createdAt + ", tokensRevokedBefore=" + tokensRevokedBefore
                + "]";
    }
}
