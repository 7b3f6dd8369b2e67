package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import io.fatechat.tck.ConversationStoreCompatibilityKit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The conversation kit on the real Redis; each store is its own connection, as each node's would be. */
class RedisConversationStoreCompatibilityIT extends ConversationStoreCompatibilityKit {

    private static final RedisConfig CONFIG = RedisTestSupport.config("conversations").build();
    private static RedisInspector redis;

    @BeforeAll
    static void connect() {
        redis = RedisInspector.open(CONFIG);
    }

    @AfterAll
    static void cleanUp() {
        redis.close();
    }

    @Override
    protected ConversationStore newStore() {
        return new RedisConversationStore(CONFIG);
    }

    @Test
    void stateSurvivesTheStoreAndLivesUnderThePrefix() {
        ConversationId lobby = room("lobby");
        try (ConversationStore first = new RedisConversationStore(CONFIG)) {
            first.join(user("ann"), lobby, null);
            first.record(List.of(message(lobby, "bob", "hello")));
        }
        assertThat(store().find(user("ann"), lobby).orElseThrow().unreadCount()).isEqualTo(1);
        assertThat(redis.sync().keys(CONFIG.keyPrefix() + "conv:*")).contains(
                CONFIG.keyPrefix() + "conv:ids:" + lobby.key(), CONFIG.keyPrefix() + "conv:user:" + user("ann"));
    }
}
