package io.fatechat.mysql;

import io.fatechat.spi.RoomStore;
import io.fatechat.tck.RoomStoreCompatibilityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The RoomStore kit on in-process H2 in MySQL mode (a unit test: it needs no service). */
class H2RoomStoreCompatibilityTest extends RoomStoreCompatibilityKit {

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
    protected RoomStore newStore() {
        return stores.rooms();
    }
}
