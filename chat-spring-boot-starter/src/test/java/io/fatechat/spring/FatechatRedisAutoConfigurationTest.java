package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.redis.RedisConfig;
import io.fatechat.redis.RedisPresenceStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Redis settings; the presence store itself is left to the host's so no Redis is needed. */
class FatechatRedisAutoConfigurationTest {

    private final ApplicationContextRunner runner = StarterRunners.starter().withUserConfiguration(HostBeans.class);

    @Test
    void defaultsAreRedisConfigs() {
        runner.withPropertyValues("fatechat.redis.url=redis://cache:6379").run(context -> assertThat(
                        context.getBean(RedisConfig.class))
                .isEqualTo(RedisConfig.builder().uri("redis://cache:6379").build()));
    }

    @Test
    void aConfiguredStoreWithoutItsModuleFailsNamingTheDependency() {
        StarterRunners.starter()
                .withClassLoader(StarterRunners.hiding("io.fatechat.redis"))
                .withPropertyValues("fatechat.redis.url=redis://127.0.0.1:1")
                .run(context ->
                        assertThat(context.getStartupFailure()).hasStackTraceContaining("io.fatechat:chat-redis"));
    }

    @Test
    void thePresenceStoreBacksOffForAHostStoreButItsSettingsBind() {
        runner.withPropertyValues(
                        "fatechat.redis.url=redis://cache.internal:6380",
                        "fatechat.redis.key-prefix=chat:",
                        "fatechat.redis.connect-timeout=3s",
                        "fatechat.redis.reconnect-delay-max=4s",
                        "fatechat.presence-lease-ttl=12s")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(RedisPresenceStore.class);
                    RedisConfig config = context.getBean(RedisConfig.class);
                    assertThat(config.uri()).isEqualTo("redis://cache.internal:6380");
                    assertThat(config.keyPrefix()).isEqualTo("chat:");
                    assertThat(config.connectTimeout()).hasSeconds(3);
                    assertThat(config.reconnectDelayMax()).hasSeconds(4);
                    assertThat(config.leaseTtl()).hasSeconds(12);
                    assertThat(context).hasSingleBean(RedisRecentCacheDecorator.class);
                });
    }

    @Test
    void theRecentCacheCanBeSwitchedOff() {
        runner.withPropertyValues("fatechat.redis.url=redis://cache.internal:6380", "fatechat.redis.recent-cache=false")
                .run(context -> {
                    assertThat(context).hasSingleBean(RedisConfig.class);
                    assertThat(context).doesNotHaveBean(RedisRecentCacheDecorator.class);
                });
    }

    @Test
    void aLeaseTtlThatDisagreesWithTheEnginesNamesBothKeys() {
        runner.withPropertyValues("fatechat.redis.url=redis://cache:6379", "fatechat.redis.lease-ttl=10s")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("fatechat.redis.lease-ttl")
                        .hasMessageContaining("fatechat.presence-lease-ttl"));
        runner.withPropertyValues("fatechat.redis.url=redis://cache:6379", "fatechat.redis.lease-ttl=30s")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aBadUrlNamesTheKeyButNotThePassword() {
        runner.withPropertyValues("fatechat.redis.url=ftp://:hunter2-secret@host:6379")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("fatechat.redis.url")
                        .hasMessageNotContaining("hunter2-secret"));
    }

    @Test
    void aBadDurationNamesTheKey() {
        runner.withPropertyValues("fatechat.redis.url=redis://cache:6379", "fatechat.redis.recent-cache-ttl=10ms")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("fatechat.redis.recent-cache-ttl"));
    }

    @Test
    void conversationsLiveInRedisOnlyWithoutADatabase() {
        runner.withPropertyValues("fatechat.redis.url=redis://127.0.0.1:1")
                .run(context -> assertThat(context.getBean(io.fatechat.spi.ConversationStore.class))
                        .isInstanceOf(io.fatechat.redis.RedisConversationStore.class));
        StarterRunners.withH2()
                .withUserConfiguration(HostBeans.class)
                .withPropertyValues(
                        "fatechat.redis.url=redis://127.0.0.1:1", "fatechat.jdbc.url=" + StarterRunners.h2Url())
                .run(context -> assertThat(context.getBean(io.fatechat.spi.ConversationStore.class))
                        .isInstanceOf(io.fatechat.mysql.JdbcConversationStore.class));
    }
}
