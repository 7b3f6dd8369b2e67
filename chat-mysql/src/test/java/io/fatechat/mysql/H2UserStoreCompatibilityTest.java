package io.fatechat.mysql;

import io.fatechat.spi.UserStore;
import io.fatechat.tck.UserStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The UserStore kit on in-process H2 in MySQL mode (a unit test: it needs no service). */
class H2UserStoreCompatibilityTest extends UserStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::h2);

    @Override
    protected UserStore newStore() {
        return DB.stores().users();
    }
}
