package io.fatechat.mysql;

import io.fatechat.spi.ConversationStore;
import io.fatechat.tck.ConversationStoreCompatibilityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The ConversationStore kit on the real MariaDB, in a throwaway database. */
class MariaDbConversationStoreCompatibilityIT extends ConversationStoreCompatibilityKit {

    static TestDatabase database;
    static JdbcChatStores stores;

    @BeforeAll
    static void start() {
        database = new MariaDbTestDatabase();
        stores = JdbcChatStores.start(database.config().build());
    }

    @AfterAll
    static void stop() {
        stores.close();
        database.close();
    }

    @Override
    protected ConversationStore newStore() {
        return stores.conversations();
    }
}
