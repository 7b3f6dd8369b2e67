package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatLimits;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The engine, its limits, node id and authentication keys. No service is needed. */
class FatechatEngineAutoConfigurationTest {

    private final ApplicationContextRunner runner = StarterRunners.starter();

    @Test
    void defaultsAreTheEngines() {
        FatechatEngineProperties engine = new FatechatEngineProperties();
        FatechatAuthProperties auth = new FatechatAuthProperties();
        assertThat(engine.getPresenceLeaseTtl()).isEqualTo(ChatEngine.DEFAULT_PRESENCE_LEASE_TTL);
        assertThat(auth.getTokenTtl()).isEqualTo(ChatEngine.DEFAULT_TOKEN_TTL);
        assertThat(auth.getBcryptCost()).isEqualTo(ChatEngine.DEFAULT_BCRYPT_COST);
        runner.run(context -> assertThat(context.getBean(ChatLimits.class)).isEqualTo(ChatLimits.DEFAULTS));
    }

    @Test
    void propertiesBindLimitsAndNodeId() {
        runner.withPropertyValues("fatechat.node-id=node-a", "fatechat.limits.max-message-length=500")
                .run(context -> {
                    ChatEngine engine = context.getBean(ChatEngine.class);
                    assertThat(engine.nodeId()).isEqualTo("node-a");
                    assertThat(engine.limits().maxMessageLength()).isEqualTo(500);
                });
    }

    @Test
    void anInvalidLimitFailsStartupNamingTheKey() {
        runner.withPropertyValues("fatechat.limits.max-message-length=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("fatechat.limits.max-message-length");
        });
    }

    @Test
    void anInvalidNodeIdNamesTheKey() {
        runner.withPropertyValues("fatechat.node-id=no spaces")
                .run(context ->
                        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("fatechat.node-id"));
    }

    @Test
    void aShortTokenSecretNamesTheKeyButNotTheSecret() {
        runner.withPropertyValues("fatechat.auth.token-secret=too-short-secret")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("fatechat.auth.token-secret")
                        .hasMessageNotContaining("too-short-secret"));
    }

    @Test
    void anUnresolvedPlaceholderSecretIsRefusedClearly() {
        runner.withPropertyValues("fatechat.auth.token-secret=${FATECHAT_TEST_UNSET_VARIABLE_4711}")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("fatechat.auth.token-secret")
                        .hasMessageContaining("placeholder is unresolved"));
    }

    @Test
    void aBcryptCostOutOfRangeNamesTheKey() {
        runner.withPropertyValues("fatechat.auth.bcrypt-cost=3").run(context -> assertThat(context.getStartupFailure())
                .rootCause()
                .hasMessageContaining("fatechat.auth.bcrypt-cost"));
    }

    @Test
    void theHostsEngineWins() {
        runner.withUserConfiguration(HostEngine.class).run(context -> {
            assertThat(context).hasSingleBean(ChatEngine.class);
            assertThat(context.getBean(ChatEngine.class)).isSameAs(context.getBean("hostEngine"));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class HostEngine {
        @Bean
        ChatEngine hostEngine() {
            return ChatEngine.builder()
                    .bcryptCost(4)
                    .tokenSecret("host-engine-secret-of-at-least-32-bytes".getBytes())
                    .build();
        }
    }
}
