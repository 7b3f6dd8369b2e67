package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import io.fatechat.tck.ConversationStoreCompatibilityKit;
import io.fatechat.testing.RedisExtension;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conversation kit on the real Redis; each store is its own connection, as each node's would be. */
class RedisConversationStoreCompatibilityIT extends ConversationStoreCompatibilityKit {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.withPrefix("conversations");

    private static RedisConfig config;
    private static RedisCommands<String, String> redis;

    @BeforeAll
    static void connect() {
        config = RedisTestSupport.config(REDIS).build();
        redis = REDIS.commands();
    }

    @Override
    protected ConversationStore newStore() {
        return new RedisConversationStore(config);
    }

    @Test
    void stateSurvivesTheStoreAndLivesUnderThePrefix() {
        ConversationId lobby = room("lobby");
        try (ConversationStore first = new RedisConversationStore(config)) {
            first.join(user("ann"), lobby, null);
            first.record(List.of(message(lobby, "bob", "hello")));
        }
        assertThat(store().find(user("ann"), lobby).orElseThrow().unreadCount()).isEqualTo(1);
        assertThat(redis.keys(config.keyPrefix() + "conv:*"))
                .contains(
                        config.keyPrefix() + "conv:ids:" + lobby.key(),
                        config.keyPrefix() + "conv:user:" + user("ann"));
    }
}
