package io.fatechat.mysql;

import io.fatechat.spi.ConversationStore;
import io.fatechat.tck.ConversationStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ConversationStore kit on in-process H2 in MySQL mode (a unit test: it needs no service). */
class H2ConversationStoreCompatibilityTest extends ConversationStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::h2);

    @Override
    protected ConversationStore newStore() {
        return DB.stores().conversations();
    }
}
