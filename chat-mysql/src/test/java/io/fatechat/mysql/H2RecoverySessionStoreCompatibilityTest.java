package io.fatechat.mysql;

import io.fatechat.spi.RecoverySessionStore;
import io.fatechat.tck.RecoverySessionStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RecoverySessionStore kit on H2 (see {@link TestDatabase}), in a throwaway database. */
class H2RecoverySessionStoreCompatibilityTest extends RecoverySessionStoreCompatibilityKit {

    @RegisterExtension
    static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::h2);

    @Override
    protected RecoverySessionStore newStore() {
        return DB.stores().recoverySessions();
    }
}
