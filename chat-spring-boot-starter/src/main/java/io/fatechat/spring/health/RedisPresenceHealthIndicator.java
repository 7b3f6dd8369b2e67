package io.fatechat.spring.health;

import io.fatechat.spi.PresenceStore;

/** Spring Boot 4: up while a presence read round-trips to Redis within the command timeout. */
public class RedisPresenceHealthIndicator extends Boot4BackendHealthIndicator {

    public RedisPresenceHealthIndicator(PresenceStore store) {
        super(new RedisPresenceHealthCheck(store));
    }
}
