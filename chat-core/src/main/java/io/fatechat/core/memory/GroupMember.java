package io.fatechat.core.memory;

import io.fatechat.spi.BatchListener;
import io.fatechat.spi.BusSubscription;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A shared subscription: one member of a {@link SharedGroup}, with its own delivery thread. */
final class GroupMember implements BusSubscription {

    private static final Logger log = LoggerFactory.getLogger(InMemoryMessageBus.class);

    private final SharedGroup group;
    private final BatchListener listener;
    private final InMemoryMessageBus bus;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread thread;
    /** Guarded by the group's lock. */
    private boolean closed;
    /** Where the next partition scan starts, for fairness; guarded by the group's lock. */
    int cursor;

    GroupMember(InMemoryMessageBus bus, SharedGroup group, BatchListener listener, String threadName) {
        this.bus = bus;
        this.group = group;
        this.listener = listener;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        group.join(this);
        thread.start();
    }

    void markClosed() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    private void run() {
        try {
            while (true) {
                SharedGroup.Batch batch = group.next(this);
                if (batch == null) {
                    return;
                }
                boolean handled = false;
                try {
                    listener.onBatch(batch.records());
                    handled = true;
                } catch (Exception | Error e) {
                    log.warn(
                            "Listener of group '{}' on {} failed on a batch of {} records; it will be delivered again",
                            group.name(),
                            group.topic(),
                            batch.records().size(),
                            e);
                    if (e instanceof VirtualMachineError vme) {
                        group.done(batch, false);
                        throw vme;
                    }
                }
                group.done(batch, handled);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        group.leave(this);
        bus.forget(this);
        InMemoryMessageBus.awaitExit(thread);
    }
}
