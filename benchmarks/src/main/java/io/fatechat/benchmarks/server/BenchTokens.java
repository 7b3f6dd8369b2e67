package io.fatechat.benchmarks.server;

import io.fatechat.core.ChatEngine;
import io.fatechat.spi.EmailTakenException;
import io.fatechat.spi.UnknownUserException;
import io.fatechat.spi.User;
import io.fatechat.spi.UserStore;
import java.time.Instant;

/** Engine tokens for load users, who are stored without a password (no bcrypt per user). */
final class BenchTokens {

    private BenchTokens() {}

    /**
     * A token for {@code email}, stored as a user first if need be (the engine issues tokens to registered users
     * only). The stored hash is no bcrypt hash, so nobody can log in as a load user with a password.
     */
    static String issue(ChatEngine engine, UserStore users, String email) {
        try {
            return engine.issueToken(email);
        } catch (UnknownUserException e) {
            try {
                users.create(new User(e.email(), "!bench-user-without-password", Instant.now()));
            } catch (EmailTakenException taken) {
                // minted concurrently, or by another node sharing the store: fine
            }
            return engine.issueToken(email);
        }
    }
}
