package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.core.memory.InMemoryThrottleStore;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.ThrottleStore;
import io.fatechat.spi.ThrottleWindow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The login throttle: per-address and per-account limits, and what it does while the shared store is down. */
class RequestThrottleTest {

    private final ChatRestConfig config = ChatRestConfig.builder()
            .attemptsPerAddress(3, Duration.ofMinutes(1))
            .attemptsPerAccount(2, Duration.ofMinutes(15))
            .build();

    @Test
    void anAddressOverItsLimitIsRefusedWithTheTimeLeftInItsWindow() {
        RequestThrottle throttle = new RequestThrottle(new InMemoryThrottleStore(), config);
        for (int i = 0; i < 3; i++) {
            throttle.attemptFrom("203.0.113.7");
        }
        assertThatThrownBy(() -> throttle.attemptFrom("203.0.113.7"))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.limit()).isEqualTo("attemptsPerAddress");
                    assertThat(e.retryAfter())
                            .hasValueSatisfying(
                                    d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
                });
        throttle.attemptFrom("203.0.113.8"); // another address is not affected
    }

    @Test
    void anAccountIsCountedCaseInsensitivelyAndResetBySuccess() {
        RequestThrottle throttle = new RequestThrottle(new InMemoryThrottleStore(), config);
        throttle.loginAttempt("Alice@Example.com");
        throttle.loginAttempt(" alice@example.com ");
        assertThatThrownBy(() -> throttle.loginAttempt("ALICE@example.com"))
                .isInstanceOfSatisfying(
                        RateLimitedException.class, e -> assertThat(e.limit()).isEqualTo("attemptsPerAccount"));

        throttle.loginSucceeded("alice@example.com");
        throttle.loginAttempt("alice@example.com");
    }

    @Test
    void whileTheSharedStoreIsDownEachNodeStillCountsOnItsOwn() {
        ThrottleStore down = new ThrottleStore() {
            @Override
            public ThrottleWindow hit(String key, Duration window) {
                throw new BackendUnavailableException("redis", "connection refused", null);
            }

            @Override
            public void reset(String key) {
                throw new BackendUnavailableException("redis", "connection refused", null);
            }
        };
        RequestThrottle throttle = new RequestThrottle(down, config);
        for (int i = 0; i < 3; i++) {
            throttle.attemptFrom("203.0.113.7");
        }
        assertThatThrownBy(() -> throttle.attemptFrom("203.0.113.7")).isInstanceOf(RateLimitedException.class);
        throttle.loginAttempt("bob@example.com");
        throttle.loginSucceeded("bob@example.com"); // must not throw while the store is down
    }
}
