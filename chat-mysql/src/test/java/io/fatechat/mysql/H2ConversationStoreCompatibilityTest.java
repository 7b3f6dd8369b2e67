package io.fatechat.mysql;

import io.fatechat.spi.ConversationStore;
import io.fatechat.tck.ConversationStoreCompatibilityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The ConversationStore kit on in-process H2 in MySQL mode (a unit test: it needs no service). */
class H2ConversationStoreCompatibilityTest extends ConversationStoreCompatibilityKit {

    static TestDatabase database;
    static JdbcChatStores stores;

    @BeforeAll
    static void start() {
        database = new H2TestDatabase();
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
