package io.fatechat.core.memory;

import io.fatechat.spi.EmailTakenException;
import io.fatechat.spi.User;
import io.fatechat.spi.UserStore;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The in-process {@link UserStore}; e-mails unique case-insensitively, atomically. Memory grows with users. */
public final class InMemoryUserStore implements UserStore {

    private final Map<String, User> users = new ConcurrentHashMap<>();

    @Override
    public User create(User user) {
        Objects.requireNonNull(user, "user");
        if (users.putIfAbsent(key(user.email()), user) != null) {
            throw new EmailTakenException(user.email());
        }
        return user;
    }

    @Override
    public Optional<User> findByEmail(String email) {
        Objects.requireNonNull(email, "email");
        return Optional.ofNullable(users.get(key(email)));
    }

    @Override
    public boolean revokeTokens(String email, Instant before) {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(before, "before");
        return users.computeIfPresent(
                        key(email),
                        (key, user) -> user.tokensRevokedBefore() != null
                                        && !user.tokensRevokedBefore().isBefore(before)
                                ? user
                                : new User(user.email(), user.passwordHash(), user.createdAt(), before))
                != null;
    }

    private static String key(String email) {
        return email.toLowerCase(Locale.ROOT);
    }
}
