package io.fatechat.mysql;

import io.fatechat.spi.RoomStore;
import io.fatechat.tck.RoomStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RoomStore kit on in-process H2 in MySQL mode (a unit test: it needs no service). */
class H2RoomStoreCompatibilityTest extends RoomStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::h2);

    @Override
    protected RoomStore newStore() {
        return DB.stores().rooms();
    }
}
