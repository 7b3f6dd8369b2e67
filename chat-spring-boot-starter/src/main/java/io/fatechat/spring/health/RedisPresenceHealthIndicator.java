package io.fatechat.spring.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.fatechat.spi.PresenceStore;

/** Up while a presence read round-trips to Redis within the command timeout. */
public class RedisPresenceHealthIndicator implements HealthIndicator {

    private static final String PROBE_ROOM = "fatechat-health-probe";

    private final PresenceStore store;

    public RedisPresenceHealthIndicator(PresenceStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        try {
            store.onlineUsers(PROBE_ROOM);
            return Health.up().build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", e.getMessage()).build();
        }
    }
}
