package io.fatechat.core.memory;

import io.fatechat.spi.HistoryStore;
import io.fatechat.tck.HistoryStoreCompatibilityKit;

/** The in-memory history store passes the kit; the stores of a test are one instance (JUnit makes one per test). */
class InMemoryHistoryStoreCompatibilityTest extends HistoryStoreCompatibilityKit {

    private final InMemoryHistoryStore shared = new InMemoryHistoryStore();

    @Override
    protected HistoryStore newStore() {
        return shared;
    }
}
