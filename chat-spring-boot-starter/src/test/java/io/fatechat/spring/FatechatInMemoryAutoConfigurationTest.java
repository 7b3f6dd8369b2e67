package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatMetrics;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.kafka.KafkaBusConfig;
import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.mysql.JdbcStoreConfig;
import io.fatechat.mysql.JdbcUserStore;
import io.fatechat.redis.RedisConfig;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.UserStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The in-process implementation of every extension point nothing else provides. No service is needed. */
class FatechatInMemoryAutoConfigurationTest {

    private final ApplicationContextRunner runner = StarterRunners.starter();

    @Test
    void withNoBackendConfiguredEverythingIsInMemory() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(ChatEngine.class);
            assertThat(context.getBean(MessageBus.class)).isInstanceOf(InMemoryMessageBus.class);
            assertThat(context.getBean(PresenceStore.class)).isInstanceOf(InMemoryPresenceStore.class);
            assertThat(context.getBean(HistoryStore.class)).isInstanceOf(InMemoryHistoryStore.class);
            assertThat(context.getBean(UserStore.class)).isInstanceOf(InMemoryUserStore.class);
            assertThat(context).hasSingleBean(InMemoryRoomStore.class);
            assertThat(context.getBean(io.fatechat.spi.ConversationStore.class))
                    .isInstanceOf(io.fatechat.core.memory.InMemoryConversationStore.class);
            assertThat(context).doesNotHaveBean(KafkaBusConfig.class);
            assertThat(context).doesNotHaveBean(RedisConfig.class);
            assertThat(context).doesNotHaveBean(JdbcChatStores.class);
            assertThat(context).doesNotHaveBean(ChatMetrics.class);
            ChatEngine engine = context.getBean(ChatEngine.class);
            String token = engine.register("carol@example.com", "carol-password");
            assertThat(engine.authenticate(token)).isEqualTo("carol@example.com");
        });
    }

    @Test
    void withH2OnTheClassPathUsersRoomsAndHistoryGoToTheH2FileUnderData() {
        StarterRunners.withH2().withUserConfiguration(HostJdbcStores.class).run(context -> {
            assertThat(context.getBean(JdbcStoreConfig.class).jdbcUrl())
                    .isEqualTo(JdbcStoreConfig.DEFAULT_H2_URL)
                    .isEqualTo(FatechatBackends.DEFAULT_H2_URL);
            assertThat(context.getBean(UserStore.class)).isInstanceOf(JdbcUserStore.class);
            assertThat(context.getBean(MessageBus.class)).isInstanceOf(InMemoryMessageBus.class);
        });
    }

    @Test
    void theStartupLineNamesEveryBackend() {
        runner.run(context -> assertThat(FatechatBackends.describe(
                        context.getBean(MessageBus.class),
                        context.getBean(PresenceStore.class),
                        context.getBean(UserStore.class),
                        context.getEnvironment()))
                .isEqualTo("Fatechat backends: bus=in-memory (this node only), presence=in-memory (this node only), "
                        + "users/rooms/history=in-memory (lost on restart)"));
        StarterRunners.withH2().withUserConfiguration(HostJdbcStores.class).run(context -> assertThat(
                        FatechatBackends.describe(
                                context.getBean(MessageBus.class),
                                context.getBean(PresenceStore.class),
                                context.getBean(UserStore.class),
                                context.getEnvironment()))
                .endsWith("users/rooms/history=H2 file ./data/fatechat"));
    }

    @Test
    void hostBeansWinOverEveryInMemoryOne() {
        runner.withUserConfiguration(HostBeans.class).run(context -> {
            assertThat(context).hasSingleBean(MessageBus.class);
            assertThat(context.getBean(MessageBus.class)).isSameAs(context.getBean("hostBus"));
            assertThat(context.getBean(PresenceStore.class)).isSameAs(context.getBean("hostPresence"));
            assertThat(context).doesNotHaveBean("fatechatInMemoryMessageBus");
            assertThat(context).doesNotHaveBean("fatechatInMemoryPresenceStore");
            assertThat(context).hasSingleBean(ChatEngine.class);
        });
    }

    /** Stores on a private in-memory H2, so the test leaves no ./data file; the config bean is still the starter's. */
    @Configuration(proxyBeanMethods = false)
    static class HostJdbcStores {
        @Bean(destroyMethod = "close")
        JdbcChatStores hostStores() {
            return JdbcChatStores.start(
                    JdbcStoreConfig.builder(StarterRunners.h2Url()).build());
        }
    }
}
