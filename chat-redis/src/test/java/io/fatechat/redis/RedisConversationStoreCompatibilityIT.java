package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import io.fatechat.tck.ConversationStoreCompatibilityKit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conversation kit on the real Redis; each store is its own connection, as each node's would be. */
class RedisConversationStoreCompatibilityIT extends ConversationStoreCompatibilityKit {

    @RegisterExtension
    static final RedisStoreFixture REDIS = RedisStoreFixture.withPrefix("conversations");

    @Override
    protected ConversationStore newStore() {
        return new RedisConversationStore(REDIS.config());
    }

    @Test
    void stateSurvivesTheStoreAndLivesUnderThePrefix() {
        ConversationId lobby = room("lobby");
        try (ConversationStore first = new RedisConversationStore(REDIS.config())) {
            first.join(user("ann"), lobby, null);
            first.record(List.of(message(lobby, "bob", "hello")));
        }
        assertThat(store().find(user("ann"), lobby).orElseThrow().unreadCount()).isEqualTo(1);
        assertThat(REDIS.commands().keys(REDIS.keyPrefix() + "conv:*"))
                .contains(
                        REDIS.keyPrefix() + "conv:ids:" + lobby.key(), REDIS.keyPrefix() + "conv:user:" + user("ann"));
    }
}
