package io.fatechat.core.memory;

import io.fatechat.spi.MessageBus;
import io.fatechat.tck.MessageBusCompatibilityKit;
import org.junit.jupiter.api.BeforeEach;

/** The in-memory bus passes the kit; every node of a test shares one hub. */
class InMemoryMessageBusCompatibilityTest extends MessageBusCompatibilityKit {

    private InMemoryBusHub hub;

    @BeforeEach
    void newHub() {
        hub = new InMemoryBusHub();
    }

    @Override
    protected MessageBus newNode() {
        return new InMemoryMessageBus(hub);
    }
}
