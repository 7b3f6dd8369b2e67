package io.fatechat.core.memory;

import io.fatechat.spi.UserStore;
import io.fatechat.tck.UserStoreCompatibilityKit;

/** The in-memory user store passes the kit; the stores of a test are one instance (JUnit makes one per test). */
class InMemoryUserStoreCompatibilityTest extends UserStoreCompatibilityKit {

    private final InMemoryUserStore shared = new InMemoryUserStore();

    @Override
    protected UserStore newStore() {
        return shared;
    }
}
