package io.fatechat.mysql;

import io.fatechat.spi.ConversationStore;
import io.fatechat.tck.ConversationStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ConversationStore kit on the MariaDB the tests find (FATECHAT_TEST_MYSQL_URL, a container or the local server), in a throwaway database. */
class MariaDbConversationStoreCompatibilityIT extends ConversationStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::mariaDb);

    @Override
    protected ConversationStore newStore() {
        return DB.stores().conversations();
    }
}
