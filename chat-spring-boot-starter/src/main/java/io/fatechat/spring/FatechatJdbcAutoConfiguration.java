package io.fatechat.spring;

import static io.fatechat.spring.BuilderSetter.set;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.mysql.JdbcConversationStore;
import io.fatechat.mysql.JdbcHistoryStore;
import io.fatechat.mysql.JdbcRecoverySessionStore;
import io.fatechat.mysql.JdbcRoomStore;
import io.fatechat.mysql.JdbcStoreConfig;
import io.fatechat.mysql.JdbcUserStore;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.UserStore;

/**
 * The JDBC stores of users, rooms, history and conversations (MySQL, MariaDB, or H2 in MySQL mode), when
 * {@code chat-mysql} is on the class path and either {@code fatechat.jdbc.url} (or {@code FATECHAT_JDBC_URL}) is
 * set or H2 is on the class path: the embedded default is the H2 file {@code ./data/fatechat}. Each store backs
 * off separately when the host defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(JdbcChatStores.class)
@Conditional(FatechatJdbcAutoConfiguration.UrlSetOrH2Present.class)
@EnableConfigurationProperties(FatechatJdbcProperties.class)
public class FatechatJdbcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public JdbcStoreConfig fatechatJdbcStoreConfig(FatechatJdbcProperties j) {
        String p = "fatechat.jdbc.";
        JdbcStoreConfig.Builder b = JdbcStoreConfig.builder(JdbcStoreConfig.DEFAULT_H2_URL);
        // a URL may carry a password parameter: its refusal must not echo it
        if (j.getUrl() != null && !j.getUrl().isBlank()) {
            BuilderSetter.setSecret(p + "url", j.getUrl().trim(), b::jdbcUrl);
        }
        set(p + "username", j.getUsername(), b::username);
        BuilderSetter.setSecret(p + "password", j.getPassword(), b::password);
        set(p + "maximum-pool-size", j.getMaximumPoolSize(), b::maximumPoolSize);
        set(p + "connection-timeout", j.getConnectionTimeout(), b::connectionTimeout);
        set(p + "socket-timeout", j.getSocketTimeout(), b::socketTimeout);
        set(p + "table-prefix", j.getTablePrefix(), b::tablePrefix);
        set(p + "migrate-schema", j.isMigrateSchema(), b::migrateSchema);
        return BuilderSetter.build("fatechat.jdbc", b::build);
    }

    /** {@code fatechat.jdbc.url} is set, or H2 is on the class path for the embedded default. */
    static class UrlSetOrH2Present extends AnyNestedCondition {

        UrlSetOrH2Present() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "fatechat.jdbc", name = "url")
        static class UrlSet {
        }

        @ConditionalOnClass(name = "org.h2.Driver")
        static class H2Present {
        }
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

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(ConversationStore.class)
    public JdbcConversationStore fatechatJdbcConversationStore(JdbcChatStores stores) {
        return stores.conversations();
    }

    /** Recovery sessions in the database unless Redis holds them (it is faster, and expires them itself). */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(io.fatechat.spi.RecoverySessionStore.class)
    @Conditional(RedisRecoveryUnavailable.class)
    public JdbcRecoverySessionStore fatechatJdbcRecoverySessionStore(JdbcChatStores stores) {
        return stores.recoverySessions();
    }

    /** Not both {@code fatechat.redis.url} set and chat-redis on the class path. */
    static class RedisRecoveryUnavailable extends NoneNestedConditions {

        RedisRecoveryUnavailable() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "fatechat.redis", name = "url")
        @ConditionalOnClass(name = "io.fatechat.redis.RedisRecoverySessionStore")
        static class RedisRecovery {
        }
    }
}
