package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.mysql.JdbcHistoryStore;
import io.fatechat.mysql.JdbcRoomStore;
import io.fatechat.mysql.JdbcStoreConfig;
import io.fatechat.mysql.JdbcUserStore;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.UserStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The JDBC stores, on an in-memory H2 database. */
class FatechatJdbcAutoConfigurationTest {

    private final ApplicationContextRunner runner = StarterRunners.withH2();

    @Test
    void defaultsAreJdbcStoreConfigs() {
        String url = StarterRunners.h2Url();
        runner.withPropertyValues("fatechat.jdbc.url=" + url).run(context -> assertThat(
                        context.getBean(JdbcStoreConfig.class).toString())
                .isEqualTo(JdbcStoreConfig.builder(url).build().toString()));
    }

    @Test
    void storesWhenTheUrlIsSet() {
        runner.withPropertyValues("fatechat.jdbc.url=" + StarterRunners.h2Url(), "fatechat.jdbc.socket-timeout=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(JdbcStoreConfig.class).socketTimeout())
                            .hasSeconds(5);
                    assertThat(context.getBean(UserStore.class)).isInstanceOf(JdbcUserStore.class);
                    assertThat(context).hasSingleBean(JdbcRoomStore.class);
                    assertThat(context.getBean(HistoryStore.class)).isInstanceOf(JdbcHistoryStore.class);
                    assertThat(context.getBean(io.fatechat.spi.ConversationStore.class))
                            .isInstanceOf(io.fatechat.mysql.JdbcConversationStore.class);
                    assertThat(context).doesNotHaveBean(InMemoryUserStore.class);
                    assertThat(context.getBean(MessageBus.class)).isInstanceOf(InMemoryMessageBus.class);
                    context.getBean(ChatEngine.class).register("dave@example.com", "dave-password");
                    assertThat(context.getBean(UserStore.class).findByEmail("dave@example.com"))
                            .isPresent();
                });
    }

    @Test
    void aConfiguredUrlWithoutTheModuleOrDriverFailsNamingTheDependency() {
        runner.withClassLoader(new FilteredClassLoader("io.fatechat.mysql"))
                .withPropertyValues("fatechat.jdbc.url=" + StarterRunners.h2Url())
                .run(context ->
                        assertThat(context.getStartupFailure()).hasStackTraceContaining("io.fatechat:chat-mysql"));
        runner.withClassLoader(new FilteredClassLoader("org.mariadb"))
                .withPropertyValues("fatechat.jdbc.url=jdbc:mariadb://db:3306/chat")
                .run(context -> assertThat(context.getStartupFailure())
                        .hasStackTraceContaining("org.mariadb.jdbc:mariadb-java-client"));
    }

    @Test
    void withoutTheModuleAndWithoutAUrlStoresAreInMemory() {
        runner.withClassLoader(new FilteredClassLoader("io.fatechat.mysql"))
                .run(context -> assertThat(context.getBean(UserStore.class)).isInstanceOf(InMemoryUserStore.class));
    }

    @Test
    void aStoreBacksOffForTheHostsOwn() {
        runner.withUserConfiguration(HostUserStore.class)
                .withPropertyValues("fatechat.jdbc.url=" + StarterRunners.h2Url())
                .run(context -> {
                    assertThat(context.getBean(UserStore.class)).isSameAs(context.getBean("hostUsers"));
                    assertThat(context).doesNotHaveBean(JdbcUserStore.class);
                    assertThat(context).hasSingleBean(JdbcRoomStore.class);
                });
    }

    @Test
    void aBadValueNamesTheKeyButNotThePassword() {
        runner.withPropertyValues("fatechat.jdbc.url=" + StarterRunners.h2Url(), "fatechat.jdbc.maximum-pool-size=1")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("fatechat.jdbc.maximum-pool-size"));
        runner.withPropertyValues("fatechat.jdbc.url=jdbc:postgresql://db/x?password=pg-secret-pw")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("fatechat.jdbc.url")
                        .hasMessageNotContaining("pg-secret-pw"));
    }

    @Configuration(proxyBeanMethods = false)
    static class HostUserStore {
        @Bean
        UserStore hostUsers() {
            return new InMemoryUserStore();
        }
    }
}
