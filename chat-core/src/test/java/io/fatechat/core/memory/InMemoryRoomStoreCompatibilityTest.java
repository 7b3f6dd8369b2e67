package io.fatechat.core.memory;

import io.fatechat.spi.RoomStore;
import io.fatechat.tck.RoomStoreCompatibilityKit;

/** The in-memory room store passes the kit; the stores of a test are one instance (JUnit makes one per test). */
class InMemoryRoomStoreCompatibilityTest extends RoomStoreCompatibilityKit {

    private final InMemoryRoomStore shared = new InMemoryRoomStore();

    @Override
    protected RoomStore newStore() {
        return shared;
    }
}
