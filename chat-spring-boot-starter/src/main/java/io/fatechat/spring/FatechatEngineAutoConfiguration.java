package io.fatechat.spring;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatLimits;
import io.fatechat.core.ChatMetrics;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.UserStore;

/**
 * Builds the {@link ChatEngine} from whichever extension-point beans exist: the host's own, a configured
 * backend's, or the in-memory defaults. Backs off when the host defines its own {@code ChatEngine}.
 */
@AutoConfiguration(after = FatechatInMemoryAutoConfiguration.class)
@ConditionalOnClass(ChatEngine.class)
@EnableConfigurationProperties(FatechatProperties.class)
public class FatechatEngineAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public FatechatNodeId fatechatNodeId(FatechatProperties properties) {
        String id = properties.getNodeId();
        return new FatechatNodeId(id == null || id.isBlank()
                ? "node-" + UUID.randomUUID().toString().substring(0, 8) : id.trim());
    }

    @Bean
    @ConditionalOnMissingBean
    public ChatLimits fatechatChatLimits(FatechatProperties properties) {
        FatechatProperties.Limits l = properties.getLimits();
        return ChatLimits.builder()
                .maxMessageLength(l.getMaxMessageLength())
                .maxRoomNameLength(l.getMaxRoomNameLength())
                .messagesPerSecond(l.getMessagesPerSecond())
                .messageBurst(l.getMessageBurst())
                .maxRoomsPerConnection(l.getMaxRoomsPerConnection())
                .maxRecentMessages(l.getMaxRecentMessages())
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    public ChatEngine chatEngine(FatechatProperties properties, FatechatNodeId nodeId, ChatLimits limits,
            MessageBus messageBus, PresenceStore presenceStore, HistoryStore historyStore, UserStore userStore,
            RoomStore roomStore, ObjectProvider<ChatMetrics> metrics,
            ObjectProvider<HistoryStoreDecorator> historyDecorators) {
        HistoryStore history = historyStore;
        for (HistoryStoreDecorator decorator : historyDecorators.orderedStream().toList()) {
            history = decorator.decorate(history);
        }
        FatechatProperties.Auth auth = properties.getAuth();
        ChatEngine.Builder builder = ChatEngine.builder()
                .nodeId(nodeId.value())
                .messageBus(messageBus)
                .presenceStore(presenceStore)
                .historyStore(history)
                .userStore(userStore)
                .roomStore(roomStore)
                .limits(limits)
                .tokenTtl(auth.getTokenTtl())
                .bcryptCost(auth.getBcryptCost())
                .presenceLeaseTtl(properties.getPresenceLeaseTtl())
                .metrics(metrics.getIfAvailable(() -> ChatMetrics.NONE));
        if (auth.getTokenSecret() != null && !auth.getTokenSecret().isEmpty()) {
            builder.tokenSecret(auth.getTokenSecret().getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }
}
