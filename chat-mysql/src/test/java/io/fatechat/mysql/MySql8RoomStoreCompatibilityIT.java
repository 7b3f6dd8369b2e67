package io.fatechat.mysql;

import io.fatechat.spi.RoomStore;
import io.fatechat.tck.RoomStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RoomStore kit on MySQL 8 where Docker is or FATECHAT_TEST_MYSQL8_URL is set (skipped otherwise), in a throwaway database. */
class MySql8RoomStoreCompatibilityIT extends RoomStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::mySql8);

    @Override
    protected RoomStore newStore() {
        return DB.stores().rooms();
    }
}
