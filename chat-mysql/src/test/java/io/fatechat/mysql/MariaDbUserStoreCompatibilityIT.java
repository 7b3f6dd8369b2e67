package io.fatechat.mysql;

import io.fatechat.spi.UserStore;
import io.fatechat.tck.UserStoreCompatibilityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The UserStore kit on the real MariaDB, in a throwaway database. */
class MariaDbUserStoreCompatibilityIT extends UserStoreCompatibilityKit {

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
    protected UserStore newStore() {
        return stores.users();
    }
}
