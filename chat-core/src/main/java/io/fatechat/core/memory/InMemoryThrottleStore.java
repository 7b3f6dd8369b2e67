package io.fatechat.core.memory;

import io.fatechat.spi.ThrottleStore;
import io.fatechat.spi.ThrottleWindow;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The in-process {@link ThrottleStore}: the counters of one node. Holds at most {@code capacity} open windows;
 * when full it drops ended windows first, then the oldest open one, so a flood of new keys costs a bounded amount
 * of memory and can only forget the counters closest to their end anyway.
 */
public final class InMemoryThrottleStore implements ThrottleStore {

    /** Default number of keys kept. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final Clock clock;
    private final int capacity;
    /** In window-start order, so the eldest entry is the oldest window. */
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

    public InMemoryThrottleStore() {
        this(Clock.systemUTC(), DEFAULT_CAPACITY);
    }

    public InMemoryThrottleStore(Clock clock, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public ThrottleWindow hit(String key, Duration window) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        long now = clock.millis();
        synchronized (windows) {
            Window w = windows.get(key);
            if (w == null || w.endMillis <= now) {
                windows.remove(key);
                makeRoom(now);
                w = new Window(now + Math.max(1, window.toMillis()));
                windows.put(key, w);
            }
            w.count++;
            return new ThrottleWindow(w.count, Duration.ofMillis(w.endMillis - now));
        }
    }

    @Override
    public void reset(String key) {
        Objects.requireNonNull(key, "key");
        synchronized (windows) {
            windows.remove(key);
        }
    }

    /** The number of keys held (for tests of the bound). */
    public int size() {
        synchronized (windows) {
            return windows.size();
        }
    }

    private void makeRoom(long now) {
        if (windows.size() < capacity) {
            return;
        }
        windows.values().removeIf(w -> w.endMillis <= now);
        Iterator<Map.Entry<String, Window>> eldest = windows.entrySet().iterator();
        while (windows.size() >= capacity && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    private static final class Window {
        final long endMillis;
        long count;

        Window(long endMillis) {
            this.endMillis = endMillis;
        }
    }
}
