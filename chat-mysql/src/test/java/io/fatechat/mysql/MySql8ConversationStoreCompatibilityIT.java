package io.fatechat.mysql;

import io.fatechat.spi.ConversationStore;
import io.fatechat.tck.ConversationStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ConversationStore kit on MySQL 8 where Docker is or FATECHAT_TEST_MYSQL8_URL is set (skipped otherwise), in a throwaway database. */
class MySql8ConversationStoreCompatibilityIT extends ConversationStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::mySql8);

    @Override
    protected ConversationStore newStore() {
        return DB.stores().conversations();
    }
}
