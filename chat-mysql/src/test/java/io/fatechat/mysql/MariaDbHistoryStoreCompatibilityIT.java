package io.fatechat.mysql;

import io.fatechat.spi.HistoryStore;
import io.fatechat.tck.HistoryStoreCompatibilityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The HistoryStore kit on the real MariaDB, in a throwaway database. */
class MariaDbHistoryStoreCompatibilityIT extends HistoryStoreCompatibilityKit {

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
    protected HistoryStore newStore() {
        return stores.history();
    }
}
