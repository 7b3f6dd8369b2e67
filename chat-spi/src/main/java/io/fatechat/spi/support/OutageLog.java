package io.fatechat.spi.support;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a backend outage once when it starts and once when it ends, however many calls fail in between, so that
 * a broker or Redis that is down for a minute under traffic writes two lines instead of one per call.
 * Thread-safe.
 */
public final class OutageLog {

    private final Logger log;
    private final String what;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong outages = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long downSinceNanos;

    /** @param what names the degraded function in the log, e.g. {@code Redis presence} */
    public OutageLog(Logger log, String what) {
        this.log = Objects.requireNonNull(log, "log");
        this.what = Objects.requireNonNull(what, "what");
    }

    /** Records a failed call; logs a warning only when this starts an outage. */
    public void failed(Throwable cause) {
        failures.incrementAndGet();
        if (down.compareAndSet(false, true)) {
            downSinceNanos = System.nanoTime();
            outages.incrementAndGet();
            log.warn("{} is unavailable, retrying until it is back: {}", what, describe(cause));
        } else if (log.isDebugEnabled()) {
            log.debug("{} still unavailable: {}", what, describe(cause));
        }
    }

    /** Records a successful call; logs once when it ends an outage. */
    public void succeeded() {
        if (down.get() && down.compareAndSet(true, false)) {
            long millis = (System.nanoTime() - downSinceNanos) / 1_000_000;
            log.info("{} is available again after {} ms ({} failed calls)", what, millis, failures.getAndSet(0));
        }
    }

    /** True from a failure until the next success. */
    public boolean isDown() {
        return down.get();
    }

    /** How many outages began since creation. */
    public long outages() {
        return outages.get();
    }

    /** The class and message of {@code t}, and of its root cause when that is another exception. */
    public static String describe(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = t.getClass().getSimpleName() + ": " + t.getMessage();
        return root == t ? first : first + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
