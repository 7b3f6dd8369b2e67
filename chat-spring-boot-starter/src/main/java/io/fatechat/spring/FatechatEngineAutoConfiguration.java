package io.fatechat.spring;

import static io.fatechat.spring.BuilderSetter.set;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatLimits;
import io.fatechat.core.ChatMetrics;
import io.fatechat.core.RecoveryOptions;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.RecoverySessionStore;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.UserStore;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link ChatEngine} from whichever extension-point beans exist: the host's own, a configured
 * backend's, or the in-memory defaults. Backs off when the host defines its own {@code ChatEngine}.
 */
@AutoConfiguration(after = FatechatInMemoryAutoConfiguration.class)
@ConditionalOnClass(ChatEngine.class)
@EnableConfigurationProperties({
    FatechatEngineProperties.class,
    FatechatAuthProperties.class,
    FatechatRecoveryProperties.class
})
public class FatechatEngineAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FatechatEngineAutoConfiguration.class);

    /**
     * Refuses, before any backend is created, a Spring Boot line the starter does not support and a configured
     * backend whose module or driver is missing.
     */
    @Bean
    static BeanFactoryPostProcessor fatechatStartupChecks(Environment environment) {
        return beanFactory -> {
            FatechatBackends.checkSpringBootVersion();
            ClassLoader loader = beanFactory.getBeanClassLoader() != null
                    ? beanFactory.getBeanClassLoader()
                    : FatechatEngineAutoConfiguration.class.getClassLoader();
            FatechatBackends.checkModulesPresent(environment, loader);
        };
    }

    @Bean
    @ConditionalOnMissingBean
    public FatechatNodeId fatechatNodeId(FatechatEngineProperties properties) {
        String id = properties.getNodeId();
        if (id == null || id.isBlank()) {
            return new FatechatNodeId("node-" + UUID.randomUUID().toString().substring(0, 8));
        }
        try {
            return new FatechatNodeId(id.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException("fatechat.node-id", id, e.getMessage());
        }
    }

    @Bean
    @ConditionalOnMissingBean
    public ChatLimits fatechatChatLimits(FatechatEngineProperties properties) {
        return ChatLimitsBinding.toChatLimits(properties.getLimits());
    }

    @Bean
    @ConditionalOnMissingBean
    public ChatEngine chatEngine(
            FatechatEngineProperties properties,
            FatechatAuthProperties auth,
            FatechatNodeId nodeId,
            ChatLimits limits,
            MessageBus messageBus,
            PresenceStore presenceStore,
            HistoryStore historyStore,
            UserStore userStore,
            RoomStore roomStore,
            ConversationStore conversationStore,
            ObjectProvider<ChatMetrics> metrics,
            ObjectProvider<HistoryStoreDecorator> historyDecorators,
            Environment environment,
            ObjectProvider<FatechatJdbcDatabase> jdbcDatabase,
            FatechatRecoveryProperties recovery,
            ObjectProvider<RecoverySessionStore> recoverySessionStore) {
        FatechatBackends.checkPresenceIsShared(messageBus, presenceStore);
        HistoryStore history = historyStore;
        for (HistoryStoreDecorator decorator : historyDecorators.orderedStream().toList()) {
            history = decorator.decorate(history);
        }
        ChatEngine.Builder builder = ChatEngine.builder()
                .nodeId(nodeId.value())
                .messageBus(messageBus)
                .presenceStore(presenceStore)
                .historyStore(history)
                .userStore(userStore)
                .roomStore(roomStore)
                .conversationStore(conversationStore)
                .limits(limits)
                .metrics(metrics.getIfAvailable(() -> ChatMetrics.NONE));
        set("fatechat.auth.token-ttl", auth.getTokenTtl(), builder::tokenTtl);
        set("fatechat.auth.bcrypt-cost", auth.getBcryptCost(), builder::bcryptCost);
        set("fatechat.presence-lease-ttl", properties.getPresenceLeaseTtl(), builder::presenceLeaseTtl);
        recoverySessionStore.ifAvailable(builder::recoverySessionStore);
        if (recovery.isEnabled()) {
            try {
                builder.recovery(new RecoveryOptions(
                        true, recovery.getWindow(), recovery.getPresenceGrace(), recovery.getMaxReplay()));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidConfigurationPropertyValueException(
                        "fatechat.recovery",
                        recovery.getWindow() + "/" + recovery.getPresenceGrace() + "/" + recovery.getMaxReplay(),
                        e.getMessage());
            }
        }
        String secret = auth.getTokenSecret();
        if (secret != null && !secret.isEmpty()) {
            if (secret.contains("${")) {
                // Spring leaves a placeholder it cannot resolve as literal text; never sign tokens with it
                throw new InvalidConfigurationPropertyValueException(
                        "fatechat.auth.token-secret",
                        secret,
                        "the placeholder is unresolved: set the variable it names (at least 32 bytes), "
                                + "or leave fatechat.auth.token-secret unset for a random secret per start");
            }
            BuilderSetter.setSecret(
                    "fatechat.auth.token-secret", secret.getBytes(StandardCharsets.UTF_8), builder::tokenSecret);
        }
        BuilderSetter.setSecret(
                "fatechat.auth.previous-token-secrets", auth.getPreviousTokenSecrets(), builder::previousTokenSecrets);
        ChatEngine engine = builder.build();
        log.info(FatechatBackends.describe(
                messageBus, presenceStore, userStore, environment, jdbcDatabase.getIfAvailable()));
        return engine;
    }
}
