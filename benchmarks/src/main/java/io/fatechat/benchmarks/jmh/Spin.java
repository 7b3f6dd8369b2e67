package io.fatechat.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits for another thread's progress without a scheduler round trip first, and never forever. */
final class Spin {

    private Spin() {}

    static void until(BooleanSupplier done, long timeoutMillis, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int spins = 0;
        while (!done.getAsBoolean()) {
            if (++spins < 2_000) {
                Thread.onSpinWait();
            } else {
                // On a 2-core machine the thread we wait for needs the core: give it up.
                Thread.yield();
                if ((spins & 1023) == 0 && System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out after " + timeoutMillis + " ms waiting for " + what);
                }
            }
        }
    }
}
