package io.fatechat.mysql;

import io.fatechat.spi.UserStore;
import io.fatechat.tck.UserStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The UserStore kit on the MariaDB the tests find (FATECHAT_TEST_MYSQL_URL, a container or the local server), in a throwaway database. */
class MariaDbUserStoreCompatibilityIT extends UserStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::mariaDb);

    @Override
    protected UserStore newStore() {
        return DB.stores().users();
    }
}
