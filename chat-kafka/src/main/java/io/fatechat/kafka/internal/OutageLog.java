package io.fatechat.kafka.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs the start and the end of an outage once each, however many operations fail in between, so that a broker
 * that is down for a minute does not write a warning per record.
 */
public final class OutageLog {

    private final Logger log;
    private final String what;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();
    private volatile long downSinceNanos;

    public OutageLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    public void failure(Throwable cause) {
        failures.incrementAndGet();
        if (down.compareAndSet(false, true)) {
            downSinceNanos = System.nanoTime();
            log.warn("{} failing; retrying until it works again: {}", what, describe(cause));
        }
    }

    public void success() {
        if (down.get() && down.compareAndSet(true, false)) {
            Duration outage = Duration.ofNanos(System.nanoTime() - downSinceNanos);
            log.info("{} working again after {} ms ({} failures)", what, outage.toMillis(), failures.getAndSet(0));
        }
    }

    public boolean isDown() {
        return down.get();
    }

    static String describe(Throwable e) {
        return e == null ? "unknown cause" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
