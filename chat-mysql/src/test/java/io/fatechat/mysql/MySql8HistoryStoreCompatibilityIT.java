package io.fatechat.mysql;

import io.fatechat.spi.HistoryStore;
import io.fatechat.tck.HistoryStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HistoryStore kit on MySQL 8 where Docker is or FATECHAT_TEST_MYSQL8_URL is set (skipped otherwise), in a throwaway database. */
class MySql8HistoryStoreCompatibilityIT extends HistoryStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::mySql8);

    @Override
    protected HistoryStore newStore() {
        return DB.stores().history();
    }
}
