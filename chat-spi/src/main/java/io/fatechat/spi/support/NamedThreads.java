package io.fatechat.spi.support;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named after what they do, so a thread dump of a host says which backend a thread belongs to
 * and a backend's threads never keep the host's JVM alive.
 */
public final class NamedThreads {

    private NamedThreads() {}

    /** One daemon thread called exactly {@code name}, running {@code task}; not started. */
    public static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(Objects.requireNonNull(task, "task"), Objects.requireNonNull(name, "name"));
        thread.setDaemon(true);
        return thread;
    }

    /** A factory of daemon threads called {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory factory(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        AtomicInteger count = new AtomicInteger();
        return task -> daemon(prefix + "-" + count.incrementAndGet(), task);
    }
}
