package io.fatechat.spi;

import java.util.Optional;

/** Registered users, keyed by e-mail compared case-insensitively. Checked by {@code UserStoreCompatibilityKit}. */
public interface UserStore extends AutoCloseable {

    /**
     * Creates a user.
     *
     * @throws EmailTakenException when the e-mail, compared case-insensitively, is registered already;
     *         under concurrent calls with the same e-mail exactly one succeeds
     */
    User create(User user);

    /** The user registered with {@code email}, compared case-insensitively. */
    Optional<User> findByEmail(String email);

    @Override
    default void close() {
    }
}
