package io.fatechat.spring.health;

import io.fatechat.mysql.JdbcChatStores;

/** Spring Boot 4: up while the JDBC stores' database answers within the pool's connection timeout. */
public class JdbcStoresHealthIndicator extends Boot4BackendHealthIndicator {

    public JdbcStoresHealthIndicator(JdbcChatStores stores) {
        super(new JdbcStoresHealthCheck(stores));
    }
}
