package io.fatechat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every store kit shares: the store factory, a name prefix no other test run uses (so kits can run against
 * a shared Redis or database), and closing every store a test made.
 *
 * @param <S> the SPI under test
 */
public abstract class StoreCompatibilityKit<S extends AutoCloseable> {

    private final List<S> stores = Collections.synchronizedList(new ArrayList<>());
    private String prefix;

    /**
     * Makes a store connected to the same backend as every other store made during the current test (as two
     * server nodes would be). Called once or several times per test.
     */
    protected abstract S newStore();

    /** How long waits and concurrent tasks may take; generous so that slow real backends pass. */
    protected Duration timeout() {
        return Duration.ofSeconds(30);
    }

    @BeforeEach
    void newTestPrefix() {
        prefix = KitSupport.uniqueName("tck") + "-";
    }

    @AfterEach
    void closeStores() {
        KitSupport.closeAll(new ArrayList<>(stores));
        stores.clear();
    }

    /**
     * A store that is closed after the test: the kit calls {@code close()} on everything {@link #newStore()}
     * returned, so hand out fresh instances, or ones whose {@code close()} leaves a shared pool alone.
     */
    protected final S store() {
        S store = newStore();
        assertThat(store).as("newStore()").isNotNull();
        stores.add(store);
        return store;
    }

    /** This test's unique prefix for names, keys and e-mails. */
    protected final String prefix() {
        return prefix;
    }
}
