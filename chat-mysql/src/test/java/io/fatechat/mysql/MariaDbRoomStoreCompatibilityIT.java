package io.fatechat.mysql;

import io.fatechat.spi.RoomStore;
import io.fatechat.tck.RoomStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RoomStore kit on the MariaDB the tests find (FATECHAT_TEST_MYSQL_URL, a container or the local server), in a throwaway database. */
class MariaDbRoomStoreCompatibilityIT extends RoomStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::mariaDb);

    @Override
    protected RoomStore newStore() {
        return DB.stores().rooms();
    }
}
