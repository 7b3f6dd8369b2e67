package io.fatechat.spring.health;

import io.fatechat.mysql.JdbcChatStores;
import java.util.Map;

/** Up while the JDBC stores' database answers within the pool's connection timeout. */
final class JdbcStoresHealthCheck implements BackendHealthCheck {

    private final JdbcChatStores stores;

    JdbcStoresHealthCheck(JdbcChatStores stores) {
        this.stores = stores;
    }

    @Override
    public BackendHealth check() {
        return new BackendHealth(
                stores.isHealthy(),
                Map.of("database", stores.isH2() ? "h2" : "mysql", "schemaVersion", JdbcChatStores.schemaVersion()));
    }
}
