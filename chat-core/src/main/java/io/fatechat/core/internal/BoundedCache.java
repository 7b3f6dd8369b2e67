package io.fatechat.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small thread-safe least-recently-used map with a fixed capacity. Used for look-ups of things that never
 * change once they exist (rooms, users) and for de-duplication windows, where an evicted entry costs one more
 * store round trip, never a wrong answer.
 */
public final class BoundedCache<K, V> {

    private final int capacity;
    private final LinkedHashMap<K, V> map;

    public BoundedCache(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > BoundedCache.this.capacity;
            }
        };
    }

    public synchronized V get(K key) {
        return map.get(key);
    }

    public synchronized void put(K key, V value) {
        map.put(key, value);
    }

    /** Returns the value present for {@code key}, or stores and returns {@code value}: {@code null} when stored. */
    public synchronized V putIfAbsent(K key, V value) {
        return map.putIfAbsent(key, value);
    }

    /** Like {@link Map#computeIfAbsent}; {@code factory} runs under the cache's lock, so it must be cheap. */
    public synchronized V computeIfAbsent(K key, Function<? super K, ? extends V> factory) {
        return map.computeIfAbsent(key, factory);
    }

    /** Removes {@code key} only while it still maps to {@code value}. */
    public synchronized boolean remove(K key, V value) {
        return map.remove(key, value);
    }

    /** Replaces {@code key}'s value only while it still maps to {@code oldValue}. */
    public synchronized boolean replace(K key, V oldValue, V newValue) {
        return map.replace(key, oldValue, newValue);
    }

    public synchronized int size() {
        return map.size();
    }

    public int capacity() {
        return capacity;
    }
}
