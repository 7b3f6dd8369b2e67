package io.fatechat.spi;

import java.time.Instant;
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

    /**
     * Records that the tokens of the user registered with {@code email} (compared case-insensitively) issued at or
     * before {@code before} are void; {@link #findByEmail} returns it as {@link User#tokensRevokedBefore()}. Never
     * moves the instant back: a {@code before} earlier than the one stored leaves it. Durable like the user itself,
     * so a node started after the revocation refuses those tokens too.
     *
     * @return whether such a user exists (nothing is stored for an unknown e-mail)
     */
    boolean revokeTokens(String email, Instant before);

    @Override
    default void close() {}
}
