package io.fatechat.mysql;

import io.fatechat.spi.HistoryStore;
import io.fatechat.tck.HistoryStoreCompatibilityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The HistoryStore kit on in-process H2 in MySQL mode (a unit test: it needs no service). */
class H2HistoryStoreCompatibilityTest extends HistoryStoreCompatibilityKit {

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
    protected HistoryStore newStore() {
        return stores.history();
    }
}
