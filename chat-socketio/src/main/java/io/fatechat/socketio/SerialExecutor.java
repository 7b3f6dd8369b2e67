package io.fatechat.socketio;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's tasks one at a time, in order, on the shared worker pool. {@link #offer} is bounded
 * (a full inbox means the client floods us); {@link #execute} is for the few internal tasks that must not be
 * dropped (connection opened/closed).
 */
final class SerialExecutor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    /** Tasks run before yielding the pool thread to other connections. */
    private static final int BATCH = 64;

    private final Executor pool;
    private final int limit;
    /** Small at first: most connections are idle most of the time (grows as needed, issue 11). */
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(2);

    private boolean running;

    SerialExecutor(Executor pool, int limit) {
        this.pool = pool;
        this.limit = limit;
    }

    /** Queues {@code task} unless {@code limit} tasks are already waiting. */
    boolean offer(Runnable task) {
        return enqueue(task, false);
    }

    /** Queues {@code task} regardless of the limit. */
    void execute(Runnable task) {
        enqueue(task, true);
    }

    private boolean enqueue(Runnable task, boolean force) {
        synchronized (this) {
            if (!force && tasks.size() >= limit) {
                return false;
            }
            tasks.add(task);
            if (running) {
                return true;
            }
            running = true;
        }
        submit();
        return true;
    }

    private void submit() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // the server is shutting down: drop what is left
            synchronized (this) {
                tasks.clear();
                running = false;
            }
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (Throwable t) {
                log.warn("Socket.IO handler failed", t);
            }
        }
        submit();
    }
}
