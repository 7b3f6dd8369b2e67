package io.fatechat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.spi.EmailTakenException;
import io.fatechat.spi.User;
import io.fatechat.spi.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The {@link UserStore} contract as tests. A backend proves itself by extending this class:
 *
 * <pre>{@code
 * class MariaDbUserStoreCompatibilityIT extends UserStoreCompatibilityKit {
 *     static JdbcChatStores stores;                // started once per class on a throwaway database
 *
 *     @Override
 *     protected UserStore newStore() {     // the same database for every store of a test
 *         return stores.users();
 *     }
 * }
 * }</pre>
 *
 * E-mails are unique per test, so the kit can share a database with other runs.
 */
public abstract class UserStoreCompatibilityKit extends StoreCompatibilityKit<UserStore> {

    /** Makes a store connected to the same backend as every other store made during the current test. */
    @Override
    protected abstract UserStore newStore();

    private static final String HASH = "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";

    @Test
    void createdUserIsFoundWithEveryField() {
        UserStore store = store();
        User alice = user("alice");

        assertThat(store.create(alice)).isEqualTo(alice);

        assertThat(store.findByEmail(alice.email())).contains(alice);
    }

    @Test
    void emailIsComparedCaseInsensitively() {
        UserStore store = store();
        User alice = user("alice");
        store.create(alice);

        assertThat(store.findByEmail(alice.email().toUpperCase(Locale.ROOT)))
                .hasValueSatisfying(found -> assertThat(found.email()).isEqualTo(alice.email()));
    }

    @Test
    void unknownEmailIsEmpty() {
        UserStore store = store();
        store.create(user("alice"));

        assertThat(store.findByEmail(email("nobody"))).isEmpty();
    }

    @Test
    void secondRegistrationOfAnEmailIsRefusedAndChangesNothing() {
        UserStore store = store();
        User alice = user("alice");
        store.create(alice);
        User impostor = new User(alice.email().toUpperCase(Locale.ROOT), "$2a$12$other", now());

        assertThatThrownBy(() -> store.create(impostor))
                .isInstanceOf(EmailTakenException.class)
                .satisfies(e -> assertThat(((EmailTakenException) e).email()).isEqualToIgnoringCase(alice.email()));
        assertThatThrownBy(() -> store.create(alice)).isInstanceOf(EmailTakenException.class);

        assertThat(store.findByEmail(alice.email())).contains(alice);
    }

    @Test
    void everyNodeSeesTheSameUsers() {
        UserStore nodeA = store();
        UserStore nodeB = store();
        User alice = user("alice");
        nodeA.create(alice);

        assertThat(nodeB.findByEmail(alice.email())).contains(alice);
        assertThatThrownBy(() -> nodeB.create(user("alice"))).isInstanceOf(EmailTakenException.class);
    }

    @Test
    void aNewUserHasNoRevokedTokens() {
        UserStore store = store();
        User alice = user("alice");
        store.create(alice);

        assertThat(store.findByEmail(alice.email()))
                .get()
                .extracting(User::tokensRevokedBefore)
                .isNull();
    }

    @Test
    void revokedTokensAreReturnedWithTheUserOnEveryNode() {
        UserStore nodeA = store();
        UserStore nodeB = store();
        User alice = user("alice");
        nodeA.create(alice);
        Instant revoked = now().plusSeconds(5);

        assertThat(nodeA.revokeTokens(alice.email().toUpperCase(Locale.ROOT), revoked))
                .isTrue();

        User found = nodeB.findByEmail(alice.email()).orElseThrow();
        assertThat(found.tokensRevokedBefore()).isEqualTo(revoked);
        assertThat(found.passwordHash()).isEqualTo(alice.passwordHash());
        assertThat(found.createdAt()).isEqualTo(alice.createdAt());
    }

    @Test
    void revocationNeverMovesBack() {
        UserStore store = store();
        User alice = user("alice");
        store.create(alice);
        Instant later = now().plusSeconds(60);
        store.revokeTokens(alice.email(), later);

        assertThat(store.revokeTokens(alice.email(), later.minusSeconds(30))).isTrue();

        assertThat(store.findByEmail(alice.email()).orElseThrow().tokensRevokedBefore())
                .isEqualTo(later);
        Instant latest = later.plusSeconds(1);
        store.revokeTokens(alice.email(), latest);
        assertThat(store.findByEmail(alice.email()).orElseThrow().tokensRevokedBefore())
                .isEqualTo(latest);
    }

    @Test
    void revokingTheTokensOfAnUnknownUserStoresNothing() {
        UserStore store = store();

        assertThat(store.revokeTokens(email("nobody"), now())).isFalse();
        assertThat(store.findByEmail(email("nobody"))).isEmpty();
    }

    @Test
    void concurrentRegistrationsOfOneEmailHaveExactlyOneWinner() {
        UserStore store = store();
        int threads = 8;
        List<User> attempts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            // Same e-mail in varying case, each attempt with its own hash so the winner is identifiable.
            String email = i % 2 == 0 ? email("race") : email("race").toUpperCase(Locale.ROOT);
            attempts.add(new User(email, HASH + i, now()));
        }

        List<KitSupport.Outcome<User>> outcomes =
                KitSupport.runConcurrently(threads, timeout(), t -> () -> store.create(attempts.get(t)));

        List<User> winners = outcomes.stream()
                .filter(KitSupport.Outcome::succeeded)
                .map(KitSupport.Outcome::value)
                .toList();
        assertThat(winners).hasSize(1);
        assertThat(outcomes.stream().filter(o -> !o.succeeded()).map(KitSupport.Outcome::failure))
                .hasSize(threads - 1)
                .allSatisfy(e -> assertThat(e).isInstanceOf(EmailTakenException.class));
        assertThat(store.findByEmail(email("race"))).contains(winners.get(0));
    }

    @Test
    void concurrentRegistrationsOfDistinctEmailsAllSucceed() {
        UserStore store = store();
        int threads = 4;
        int perThread = 20;

        List<KitSupport.Outcome<Void>> outcomes = KitSupport.runConcurrently(threads, timeout(), t -> () -> {
            for (int i = 0; i < perThread; i++) {
                store.create(user("u" + t + "-" + i));
            }
            return null;
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(store.findByEmail(email("u" + t + "-" + i)))
                        .as("user u%d-%d", t, i)
                        .isPresent();
            }
        }
    }

    // ---- helpers: e-mails unique to this test

    protected final String email(String name) {
        return prefix() + name + "@example.com";
    }

    /** A user as the engine makes one: lower-case e-mail, a bcrypt hash, a millisecond-precision time. */
    protected final User user(String name) {
        return new User(email(name), HASH, now());
    }

    private static Instant now() {
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }
}
