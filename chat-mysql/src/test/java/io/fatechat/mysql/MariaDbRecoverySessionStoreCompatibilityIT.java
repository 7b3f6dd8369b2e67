package io.fatechat.mysql;

import io.fatechat.spi.RecoverySessionStore;
import io.fatechat.tck.RecoverySessionStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RecoverySessionStore kit on MariaDb (see {@link TestDatabase}), in a throwaway database. */
class MariaDbRecoverySessionStoreCompatibilityIT extends RecoverySessionStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::mariaDb);

    @Override
    protected RecoverySessionStore newStore() {
        return DB.stores().recoverySessions();
    }
}
