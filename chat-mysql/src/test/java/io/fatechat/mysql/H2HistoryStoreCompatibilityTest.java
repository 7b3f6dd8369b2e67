package io.fatechat.mysql;

import io.fatechat.spi.HistoryStore;
import io.fatechat.tck.HistoryStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HistoryStore kit on in-process H2 in MySQL mode (a unit test: it needs no service). */
class H2HistoryStoreCompatibilityTest extends HistoryStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::h2);

    @Override
    protected HistoryStore newStore() {
        return DB.stores().history();
    }
}
