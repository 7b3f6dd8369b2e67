package io.fatechat.spring.health;

import io.fatechat.spi.PresenceStore;
import java.util.Map;

/** Up while a presence read round-trips to Redis within the command timeout. */
final class RedisPresenceHealthCheck implements BackendHealthCheck {

    private static final String PROBE_ROOM = "fatechat-health-probe";

    private final PresenceStore store;

    RedisPresenceHealthCheck(PresenceStore store) {
        this.store = store;
    }

    @Override
    public BackendHealth check() {
        try {
            store.onlineUsers(PROBE_ROOM);
            return BackendHealth.up(Map.of());
        } catch (RuntimeException e) {
            return BackendHealth.down(e.getMessage());
        }
    }
}
