package io.fatechat.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.core.memory.InMemoryThrottleStore;
import io.fatechat.redis.RedisThrottleStore;
import io.fatechat.spi.ThrottleStore;
import io.fatechat.spring.FatechatEngineAutoConfiguration;
import io.fatechat.spring.FatechatInMemoryAutoConfiguration;
import io.fatechat.spring.FatechatJdbcAutoConfiguration;
import io.fatechat.spring.FatechatKafkaAutoConfiguration;
import io.fatechat.spring.FatechatRedisAutoConfiguration;
import io.fatechat.spring.HostBeans;
import io.fatechat.ws.ChatRestConfig;
import io.fatechat.ws.ChatRestServlet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/** The REST API's settings: defaults are ChatRestConfig's, every key binds, a bad value names its key. */
class FatechatRestAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    FatechatKafkaAutoConfiguration.class,
                    FatechatRedisAutoConfiguration.class,
                    FatechatJdbcAutoConfiguration.class,
                    FatechatInMemoryAutoConfiguration.class,
                    FatechatEngineAutoConfiguration.class,
                    FatechatRestAutoConfiguration.class))
            .withPropertyValues(
                    "fatechat.auth.bcrypt-cost=4",
                    "fatechat.auth.token-secret=auto-configuration-test-secret-32-bytes!");

    @Test
    void defaultsAreChatRestConfigs() {
        runner.run(context -> {
            assertThat(servlet(context).config())
                    .hasToString(ChatRestConfig.defaults().toString());
            assertThat(context.getBean(ThrottleStore.class)).isInstanceOf(InMemoryThrottleStore.class);
            assertThat(context.getBean("fatechatRestServlet", ServletRegistrationBean.class)
                            .isAsyncSupported())
                    .isTrue();
        });
    }

    @Test
    void everyKeyBinds() {
        runner.withPropertyValues(
                        "fatechat.rest.max-body-size=2KB",
                        "fatechat.security.body-timeout=3s",
                        "fatechat.socketio.allowed-origins=https://app.example.com",
                        "fatechat.security.login-attempts-per-address=7",
                        "fatechat.security.login-address-window=2m",
                        "fatechat.security.login-attempts-per-account=4",
                        "fatechat.security.login-account-window=1h")
                .run(context -> {
                    ChatRestConfig config = servlet(context).config();
                    assertThat(config.maxBodySize()).isEqualTo(2048);
                    assertThat(config.bodyTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(config.allowedOrigins()).containsExactly("https://app.example.com");
                    assertThat(config.attemptsPerAddress()).isEqualTo(7);
                    assertThat(config.addressWindow()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(config.attemptsPerAccount()).isEqualTo(4);
                    assertThat(config.accountWindow()).isEqualTo(Duration.ofHours(1));
                });
    }

    @Test
    void aBadValueNamesItsKey() {
        runner.withPropertyValues("fatechat.security.body-timeout=1ms").run(context -> assertThat(context)
                .getFailure()
                .rootCause()
                .hasMessageContaining("fatechat.security.body-timeout"));
        runner.withPropertyValues("fatechat.security.login-attempts-per-account=0")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("fatechat.security.login-attempts-per-account"));
    }

    @Test
    void withRedisTheCountersAreSharedByEveryNode() {
        runner.withUserConfiguration(HostBeans.class)
                .withPropertyValues("fatechat.redis.url=redis://127.0.0.1:1")
                .run(context -> assertThat(context.getBeanFactory().getType("fatechatRedisThrottleStore"))
                        .isEqualTo(RedisThrottleStore.class));
    }

    private static ChatRestServlet servlet(org.springframework.context.ApplicationContext context) {
        return (ChatRestServlet) context.getBean("fatechatRestServlet", ServletRegistrationBean.class)
                .getServlet();
    }
}
