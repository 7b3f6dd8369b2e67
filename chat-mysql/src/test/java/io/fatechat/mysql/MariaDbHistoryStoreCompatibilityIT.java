package io.fatechat.mysql;

import io.fatechat.spi.HistoryStore;
import io.fatechat.tck.HistoryStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HistoryStore kit on the MariaDB the tests find (FATECHAT_TEST_MYSQL_URL, a container or the local server), in a throwaway database. */
class MariaDbHistoryStoreCompatibilityIT extends HistoryStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::mariaDb);

    @Override
    protected HistoryStore newStore() {
        return DB.stores().history();
    }
}
