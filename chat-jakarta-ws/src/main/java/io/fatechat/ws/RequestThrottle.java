package io.fatechat.ws;

import io.fatechat.core.memory.InMemoryThrottleStore;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.ThrottleStore;
import io.fatechat.spi.ThrottleWindow;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throttles password guessing and room spam: login and register attempts per client address, login attempts per
 * account, room creations per user, counted in a {@link ThrottleStore} shared by every node. While the shared store is unreachable each node counts on its
 * own, so an outage neither locks everyone out nor lifts the limit.
 */
final class RequestThrottle {

    private static final Logger log = LoggerFactory.getLogger(RequestThrottle.class);
    /** Longer "accounts" are no e-mail the engine accepts; they get no counter of their own. */
    private static final int MAX_ACCOUNT_KEY = 254;

    private final ThrottleStore shared;
    private final ThrottleStore local = new InMemoryThrottleStore();
    private final ChatRestConfig config;

    RequestThrottle(ThrottleStore shared, ChatRestConfig config) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Counts an attempt from {@code address}. @throws RateLimitedException over the address limit */
    void attemptFrom(String address) {
        ThrottleWindow w = hit("login-addr:" + address, config.addressWindow());
        if (w.count() > config.attemptsPerAddress()) {
            throw refused("attemptsPerAddress", "too many attempts from this address, try again later", w);
        }
    }

    /** Counts a login attempt on {@code email}. @throws RateLimitedException over the account limit */
    void loginAttempt(String email) {
        String account = accountKey(email);
        if (account == null) {
            return;
        }
        ThrottleWindow w = hit(account, config.accountWindow());
        if (w.count() > config.attemptsPerAccount()) {
            throw refused("attemptsPerAccount", "too many login attempts for this account, try again later", w);
        }
    }

    /** A login succeeded: the account's count starts again. */
    void loginSucceeded(String email) {
        String account = accountKey(email);
        if (account == null) {
            return;
        }
        local.reset(account);
        try {
            shared.reset(account);
        } catch (BackendUnavailableException e) {
            log.debug("Could not reset the shared login counter: {}", e.getMessage());
        }
    }

    /** Counts a room creation by {@code user}. @throws RateLimitedException over the per-user limit */
    void roomCreation(String user) {
        ThrottleWindow w = hit("rooms:" + user, config.roomsWindow());
        if (w.count() > config.roomsPerUser()) {
            throw refused(
                    "roomsPerUser",
                    "too many rooms created, at most " + config.roomsPerUser() + " per "
                            + config.roomsWindow().toMinutes() + " minutes; try again later",
                    w);
        }
    }

    private ThrottleWindow hit(String key, Duration window) {
        try {
            return shared.hit(key, window);
        } catch (BackendUnavailableException e) {
            return local.hit(key, window);
        }
    }

    private static String accountKey(String email) {
        if (email == null) {
            return null;
        }
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        return normalized.isEmpty() || normalized.length() > MAX_ACCOUNT_KEY ? null : "login-acct:" + normalized;
    }

    private static RateLimitedException refused(String limit, String message, ThrottleWindow w) {
        return new RateLimitedException(limit, message, w.remaining());
    }
}
