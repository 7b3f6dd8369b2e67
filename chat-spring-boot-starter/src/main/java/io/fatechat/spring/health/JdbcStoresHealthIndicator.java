package io.fatechat.spring.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.fatechat.mysql.JdbcChatStores;

/** Up while the JDBC stores' database answers within the pool's connection timeout. */
public class JdbcStoresHealthIndicator implements HealthIndicator {

    private final JdbcChatStores stores;

    public JdbcStoresHealthIndicator(JdbcChatStores stores) {
        this.stores = stores;
    }

    @Override
    public Health health() {
        Health.Builder builder = stores.isHealthy() ? Health.up() : Health.down();
        return builder.withDetail("database", stores.isH2() ? "h2" : "mysql")
                .withDetail("schemaVersion", JdbcChatStores.schemaVersion())
                .build();
    }
}
