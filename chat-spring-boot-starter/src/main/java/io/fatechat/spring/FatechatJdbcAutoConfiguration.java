package io.fatechat.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.mysql.JdbcHistoryStore;
import io.fatechat.mysql.JdbcRoomStore;
import io.fatechat.mysql.JdbcStoreConfig;
import io.fatechat.mysql.JdbcUserStore;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.UserStore;

/**
 * The JDBC stores of users, rooms and history (MySQL, MariaDB, or H2 in MySQL mode), when {@code chat-mysql} is
 * on the class path and {@code fatechat.jdbc.url} (or {@code FATECHAT_JDBC_URL}) is set. Each store backs off
 * separately when the host defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(JdbcChatStores.class)
@ConditionalOnProperty(prefix = "fatechat.jdbc", name = "url")
@EnableConfigurationProperties(FatechatProperties.class)
public class FatechatJdbcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public JdbcStoreConfig fatechatJdbcStoreConfig(FatechatProperties properties) {
        FatechatProperties.Jdbc j = properties.getJdbc();
        return JdbcStoreConfig.builder(j.getUrl().trim())
                .username(j.getUsername())
                .password(j.getPassword())
                .maximumPoolSize(j.getMaximumPoolSize())
                .connectionTimeout(j.getConnectionTimeout())
                .tablePrefix(j.getTablePrefix())
                .migrateSchema(j.isMigrateSchema())
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    public JdbcChatStores fatechatJdbcChatStores(JdbcStoreConfig config) {
        return JdbcChatStores.start(config);
    }

    // The stores share the pool of JdbcChatStores, which closes it; their own close() does nothing.

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(UserStore.class)
    public JdbcUserStore fatechatJdbcUserStore(JdbcChatStores stores) {
        return stores.users();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(RoomStore.class)
    public JdbcRoomStore fatechatJdbcRoomStore(JdbcChatStores stores) {
        return stores.rooms();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(HistoryStore.class)
    public JdbcHistoryStore fatechatJdbcHistoryStore(JdbcChatStores stores) {
        return stores.history();
    }
}
