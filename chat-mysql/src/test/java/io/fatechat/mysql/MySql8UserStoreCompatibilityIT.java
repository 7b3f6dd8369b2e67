package io.fatechat.mysql;

import io.fatechat.spi.UserStore;
import io.fatechat.tck.UserStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The UserStore kit on MySQL 8 where Docker is or FATECHAT_TEST_MYSQL8_URL is set (skipped otherwise), in a throwaway database. */
class MySql8UserStoreCompatibilityIT extends UserStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::mySql8);

    @Override
    protected UserStore newStore() {
        return DB.stores().users();
    }
}
