package io.fatechat.spring;

import io.fatechat.core.memory.InMemoryConversationStore;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryThrottleStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.ThrottleStore;
import io.fatechat.spi.UserStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The embedded default: an in-process implementation of every extension point that neither the host nor a
 * configured backend (Kafka, Redis, JDBC) provides. In-memory stores lose everything on restart; set
 * {@code fatechat.jdbc.url} to keep users, rooms and history.
 */
@AutoConfiguration(
        after = {
            FatechatKafkaAutoConfiguration.class,
            FatechatRedisAutoConfiguration.class,
            FatechatJdbcAutoConfiguration.class
        })
@ConditionalOnClass(InMemoryMessageBus.class)
public class FatechatInMemoryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(MessageBus.class)
    public InMemoryMessageBus fatechatInMemoryMessageBus() {
        return new InMemoryMessageBus();
    }

    @Bean
    @ConditionalOnMissingBean(PresenceStore.class)
    public InMemoryPresenceStore fatechatInMemoryPresenceStore() {
        return new InMemoryPresenceStore();
    }

    @Bean
    @ConditionalOnMissingBean(HistoryStore.class)
    public InMemoryHistoryStore fatechatInMemoryHistoryStore() {
        return new InMemoryHistoryStore();
    }

    @Bean
    @ConditionalOnMissingBean(ConversationStore.class)
    public InMemoryConversationStore fatechatInMemoryConversationStore() {
        return new InMemoryConversationStore();
    }

    @Bean
    @ConditionalOnMissingBean(UserStore.class)
    public InMemoryUserStore fatechatInMemoryUserStore() {
        return new InMemoryUserStore();
    }

    @Bean
    @ConditionalOnMissingBean(RoomStore.class)
    public InMemoryRoomStore fatechatInMemoryRoomStore() {
        return new InMemoryRoomStore();
    }

    /** This node's login attempt counters, when no shared store (Redis) is configured. */
    @Bean
    @ConditionalOnMissingBean(ThrottleStore.class)
    public InMemoryThrottleStore fatechatInMemoryThrottleStore() {
        return new InMemoryThrottleStore();
    }
}
