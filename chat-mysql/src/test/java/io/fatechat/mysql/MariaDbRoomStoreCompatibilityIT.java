package io.fatechat.mysql;

import io.fatechat.spi.RoomStore;
import io.fatechat.tck.RoomStoreCompatibilityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The RoomStore kit on the real MariaDB, in a throwaway database. */
class MariaDbRoomStoreCompatibilityIT extends RoomStoreCompatibilityKit {

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
    protected RoomStore newStore() {
        return stores.rooms();
    }
}
