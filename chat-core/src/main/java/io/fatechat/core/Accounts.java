package io.fatechat.core;

import io.fatechat.core.internal.BoundedCache;
import io.fatechat.core.internal.FieldRules;
import io.fatechat.core.internal.PasswordHasher;
import io.fatechat.core.internal.TokenSigner;
import io.fatechat.spi.EmailTakenException;
import io.fatechat.spi.InvalidCredentialsException;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.InvalidTokenException;
import io.fatechat.spi.UnknownUserException;
import io.fatechat.spi.User;
import io.fatechat.spi.UserStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registration, login and tokens; knows which users exist. */
final class Accounts {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    /**
     * Sized above the users one node serves at once (at most ~15 MB): with fewer entries than connected users, an
     * LRU misses on every connect, and each connect waits for a store read.
     */
    static final int USER_CACHE_SIZE = 100_000;
    /** The cached revocation instant of a user whose tokens were never revoked. */
    private static final long NEVER_REVOKED = Long.MIN_VALUE;

    private final EngineContext context;
    private final UserStore users;
    private final TokenSigner tokens;
    private final PasswordHasher passwords;
    /**
     * Registered users -> their tokens issued at or before this epoch millisecond are revoked. Only a fast path in
     * front of the store, which holds every revocation: an evicted or missing entry costs one store read.
     */
    private final BoundedCache<String, Long> knownUsers;

    /** With a random token secret (and a warning) when none is configured. */
    static Accounts create(
            EngineContext context,
            UserStore users,
            byte[] tokenSecret,
            List<byte[]> previousSecrets,
            Duration tokenTtl,
            int bcryptCost,
            int userCacheCapacity) {
        byte[] secret = tokenSecret;
        if (secret == null) {
            secret = new byte[ChatEngine.MIN_TOKEN_SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            log.warn(
                    "No token secret configured for node {}: generated a random one. Tokens will not survive a "
                            + "restart and will not verify on other nodes; configure a secret of at least {} bytes.",
                    context.nodeId(),
                    ChatEngine.MIN_TOKEN_SECRET_BYTES);
        }
        if (bcryptCost < ChatEngine.DEFAULT_BCRYPT_COST) {
            log.warn(
                    "bcrypt cost {} is below OWASP's minimum of {}: use it only in tests",
                    bcryptCost,
                    ChatEngine.DEFAULT_BCRYPT_COST);
        }
        return new Accounts(
                context,
                users,
                new TokenSigner(secret, previousSecrets, tokenTtl, context.clock()),
                new PasswordHasher(bcryptCost),
                userCacheCapacity);
    }

    Accounts(EngineContext context, UserStore users, TokenSigner tokens, PasswordHasher passwords) {
        this(context, users, tokens, passwords, USER_CACHE_SIZE);
    }

    Accounts(
            EngineContext context,
            UserStore users,
            TokenSigner tokens,
            PasswordHasher passwords,
            int userCacheCapacity) {
        this.knownUsers = new BoundedCache<>(userCacheCapacity);
        this.context = context;
        this.users = users;
        this.tokens = tokens;
        this.passwords = passwords;
    }

    String register(String email, String password) {
        String address = FieldRules.email("email", email);
        String secret = FieldRules.newPassword("password", password);
        context.ensureOpen();
        if (users.findByEmail(address).isPresent()) {
            // Saves a bcrypt hash; the store's create below stays the authority under concurrent registrations.
            throw new EmailTakenException(address);
        }
        String hash = passwords.hash(secret);
        users.create(new User(address, hash, context.now()));
        remember(address, NEVER_REVOKED);
        return tokens.issue(address);
    }

    String login(String email, String password) {
        if (email == null || email.isBlank()) {
            throw new InvalidInputException("email", email == null ? "is required" : "must not be empty");
        }
        if (password == null || password.isEmpty()) {
            throw new InvalidInputException("password", password == null ? "is required" : "must not be empty");
        }
        context.ensureOpen();
        // No account can have a password longer than bcrypt's 72 bytes: never let bcrypt truncate one into a match.
        boolean possible = FieldRules.isEmail(email)
                && FieldRules.isWellFormed(password)
                && password.getBytes(StandardCharsets.UTF_8).length <= FieldRules.MAX_PASSWORD_BYTES;
        Optional<User> user = possible ? users.findByEmail(email.trim().toLowerCase(Locale.ROOT)) : Optional.empty();
        if (user.isEmpty()) {
            // Same work as a wrong password, so response times do not reveal which e-mails exist.
            passwords.verifyDummy(password);
            throw new InvalidCredentialsException();
        }
        if (!passwords.verify(password, user.get().passwordHash())) {
            throw new InvalidCredentialsException();
        }
        String address = user.get().email().toLowerCase(Locale.ROOT);
        remember(address, revokedBefore(user.get()));
        return tokens.issue(address);
    }

    /**
     * A new token for a user who is registered already, without their password: for hosts that authenticated the
     * user themselves (single sign-on, a load generator's users).
     *
     * @throws UnknownUserException when {@code email} (normalized) is not registered
     */
    String issueToken(String email) {
        String address = FieldRules.email("email", email);
        context.ensureOpen();
        ensureExists(address);
        return tokens.issue(address);
    }

    /**
     * A valid token of a registered user (cached: users are never deleted), not revoked: the revocation instant
     * comes with the same (cached) user look-up. A token signed for an e-mail that was never registered is refused
     * like a forged one.
     */
    TokenSigner.Verified authenticate(String token) {
        TokenSigner.Verified verified = tokens.verifyToken(token);
        long revokedBefore;
        try {
            revokedBefore = revokedBeforeMillis(verified.subject());
        } catch (UnknownUserException e) {
            throw new InvalidTokenException(InvalidTokenException.Reason.INVALID);
        }
        if (verified.issuedAtMillis() <= revokedBefore) {
            throw new InvalidTokenException(InvalidTokenException.Reason.REVOKED);
        }
        return verified;
    }

    /**
     * Checks that a user is registered.
     *
     * @throws UnknownUserException when {@code email} (normalized) is not registered
     */
    void ensureExists(String email) {
        revokedBeforeMillis(email);
    }

    /**
     * The epoch millisecond at or before which {@code email}'s tokens are revoked ({@link Long#MIN_VALUE} when
     * never), from the cache or else the store.
     *
     * @throws UnknownUserException when {@code email} (normalized) is not registered
     */
    long revokedBeforeMillis(String email) {
        Long cached = knownUsers.get(email);
        if (cached != null) {
            return cached;
        }
        User user = users.findByEmail(email).orElseThrow(() -> new UnknownUserException(email));
        return remember(email, revokedBefore(user));
    }

    /**
     * Stores that {@code email}'s tokens issued at or before {@code beforeMillis} are void, before any node is
     * told, so that no node (even one started later) can read the user without it.
     */
    void revoke(String email, long beforeMillis) {
        if (users.revokeTokens(email, Instant.ofEpochMilli(beforeMillis))) {
            revoked(email, beforeMillis);
        }
    }

    /** A revocation stored by any node: a cached entry moves forward; an absent one is read from the store. */
    void revoked(String email, long beforeMillis) {
        synchronized (knownUsers) {
            Long cached = knownUsers.get(email);
            if (cached != null && cached < beforeMillis) {
                knownUsers.put(email, beforeMillis);
            }
        }
    }

    /** Caches what the store said, never moving a revocation the cache knows back (a read may race the bus). */
    private long remember(String email, long revokedBefore) {
        synchronized (knownUsers) {
            Long cached = knownUsers.get(email);
            long latest = cached == null ? revokedBefore : Math.max(cached, revokedBefore);
            knownUsers.put(email, latest);
            return latest;
        }
    }

    private static long revokedBefore(User user) {
        return user.tokensRevokedBefore() == null
                ? NEVER_REVOKED
                : user.tokensRevokedBefore().toEpochMilli();
    }
}
