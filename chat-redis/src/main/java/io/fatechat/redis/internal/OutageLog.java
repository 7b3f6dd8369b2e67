package io.fatechat.redis.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a backend outage once when it starts and once when it ends, however many calls fail in between, so that
 * a Redis restart under traffic writes two lines instead of one per message.
 */
public final class OutageLog {

    private final Logger log;
    private final String what;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong outages = new AtomicLong();

    /** @param what names the degraded function in the log, e.g. {@code redis presence} */
    public OutageLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** Records a failed call; logs a warning only when this starts an outage. */
    public void failed(Throwable cause) {
        if (down.compareAndSet(false, true)) {
            outages.incrementAndGet();
            log.warn("{} is unavailable, degrading until it is back: {}", what, describe(cause));
        } else if (log.isDebugEnabled()) {
            log.debug("{} still unavailable: {}", what, describe(cause));
        }
    }

    /** Records a successful call; logs once when it ends an outage. */
    public void succeeded() {
        if (down.get() && down.compareAndSet(true, false)) {
            log.info("{} is available again", what);
        }
    }

    public boolean isDown() {
        return down.get();
    }

    /** How many outages began since creation. */
    public long outages() {
        return outages.get();
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = t.getClass().getSimpleName() + ": " + t.getMessage();
        return root == t ? first : first + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
