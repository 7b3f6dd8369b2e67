package io.fatechat.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered user.
 *
 * @param email the e-mail as registered (lower-cased by the engine); the user's identity everywhere
 * @param passwordHash the password hash in its self-describing format (e.g. {@code $2a$10$...}); never the password
 * @param createdAt when the account was created
 */
public record User(String email, String passwordHash, Instant createdAt) {

    public User {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "User[email=" + email + ", createdAt=" + createdAt + "]";
    }
}
