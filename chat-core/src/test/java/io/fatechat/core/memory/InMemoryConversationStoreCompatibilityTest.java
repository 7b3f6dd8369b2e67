package io.fatechat.core.memory;

import io.fatechat.spi.ConversationStore;
import io.fatechat.tck.ConversationStoreCompatibilityKit;

/** The in-memory conversation store passes the kit; the stores of a test are one instance. */
class InMemoryConversationStoreCompatibilityTest extends ConversationStoreCompatibilityKit {

    private final InMemoryConversationStore shared = new InMemoryConversationStore();

    @Override
    protected ConversationStore newStore() {
        return shared;
    }
}
