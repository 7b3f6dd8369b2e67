package io.fatechat.core;

import io.fatechat.spi.RecoverySession;
import io.fatechat.spi.RecoverySessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes recovery-session changes that may land a moment late behind the socket threads: a new connection's
 * record, a removal. The latest change of each pid waits here, and one thread writes whatever gathered while it
 * wrote the last batch, the records with one {@link RecoverySessionStore#saveAll}: a connect no longer waits for a
 * commit, and a connect storm costs one commit per batch instead of one per socket.
 *
 * <p>Writes that must have landed when the call returns ({@link #saveNow}: after a join, a leave, a drop) and reads
 * of a pid ({@link #settle} before a take) first drop or write what waits for that pid, and wait for a batch in
 * flight only when it holds that pid: an older change never lands after a newer one.
 */
final class RecoverySessionWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecoverySessionWriter.class);

    /** Past this many waiting pids the thread that adds one writes the batch itself, so the backlog stays bounded. */
    static final int MAX_WAITING = 10_000;

    private final RecoverySessionStore store;
    private final int maxWaiting;
    /** The latest change of each pid not yet written; a pid's entry is replaced, never queued twice. */
    private final Map<String, Change> waiting = new ConcurrentHashMap<>();
    /** Held while a batch or a single pid's change is written, one at a time. */
    private final ReentrantLock writing = new ReentrantLock();
    /**
     * Pids whose change {@link #writing} is writing now, added before the change leaves {@link #waiting}: a caller
     * that finds its pid in neither writes at once, any older change of that pid having landed already.
     */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    private final Semaphore wake = new Semaphore(0);
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param background whether a thread of its own writes the batches; without one (recovery off, or a test),
     *     changes wait until a caller must write them: {@link #settle}, {@link #close}, or past {@code maxWaiting}
     */
    RecoverySessionWriter(RecoverySessionStore store, String nodeId, boolean background, int maxWaiting) {
        this.store = store;
        this.maxWaiting = maxWaiting;
        if (background) {
            writer = new Thread(this::writeLoop, "fatechat-recovery-writer-" + nodeId);
            writer.setDaemon(true);
            writer.start();
        } else {
            writer = null;
        }
    }

    /** Saves {@code session} soon, replacing a change of its pid that still waits. */
    void save(RecoverySession session) {
        add(new Change(session.pid(), session));
    }

    /** Removes the record of {@code pid} soon, replacing a change of that pid that still waits. */
    void remove(String pid) {
        add(new Change(pid, null));
    }

    /**
     * Saves {@code session} before returning; a change of its pid that waits is dropped, being older. Waits for the
     * batch in flight only when that batch holds the pid, so joins on many sockets save side by side.
     */
    void saveNow(RecoverySession session) {
        waiting.remove(session.pid());
        if (!inFlight.contains(session.pid())) {
            store.save(session);
            return;
        }
        writing.lock(); // the batch in flight holds an older change of this pid: it lands first
        try {
            store.save(session);
        } finally {
            writing.unlock();
        }
    }

    /** Writes what waits for {@code pid} before returning, so that a read of the store sees the latest change. */
    void settle(String pid) {
        if (!waiting.containsKey(pid) && !inFlight.contains(pid)) {
            return;
        }
        writing.lock(); // also waits for a batch in flight, which may hold the pid's change
        try {
            Change change = waiting.get(pid);
            if (change != null && takeForWriting(change)) {
                write(List.of(change));
            }
        } finally {
            inFlight.clear();
            writing.unlock();
        }
    }

    /** Moves {@code change} from waiting to in flight; false when a newer change of its pid replaced it. */
    private boolean takeForWriting(Change change) {
        inFlight.add(change.pid());
        return waiting.remove(change.pid(), change);
    }

    private void add(Change change) {
        waiting.put(change.pid(), change);
        if (closed || waiting.size() > maxWaiting) {
            writeWaiting();
        } else if (writer != null) {
            wake.release();
        }
    }

    private void writeLoop() {
        while (!closed) {
            try {
                wake.acquire();
            } catch (InterruptedException e) {
                return;
            }
            wake.drainPermits();
            writeWaiting();
        }
    }

    /** Writes every change waiting now; changes made meanwhile wait for the next batch. */
    private void writeWaiting() {
        writing.lock();
        try {
            List<Change> batch = new ArrayList<>();
            for (Change change : waiting.values()) {
                // a change replaced since it was read stays for the next batch
                if (takeForWriting(change)) {
                    batch.add(change);
                }
            }
            if (!batch.isEmpty()) {
                write(batch);
            }
        } finally {
            inFlight.clear();
            writing.unlock();
        }
    }

    private void write(List<Change> batch) {
        List<RecoverySession> saved = new ArrayList<>(batch.size());
        for (Change change : batch) {
            if (change.session() != null) {
                saved.add(change.session());
            }
        }
        try {
            if (!saved.isEmpty()) {
                store.saveAll(saved);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "Could not save {} recovery session(s); their clients may get a fresh session after a drop ({})",
                    saved.size(),
                    e.getMessage());
        }
        for (Change change : batch) {
            if (change.session() == null) {
                try {
                    store.remove(change.pid());
                } catch (RuntimeException e) {
                    log.debug("Could not forget recovery session {} ({})", change.pid(), e.getMessage());
                }
            }
        }
    }

    /** Stops the thread and writes what still waits, on the caller's thread. */
    @Override
    public void close() {
        closed = true;
        if (writer != null) {
            wake.release();
            try {
                writer.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writeWaiting();
    }

    /** The latest change of {@code pid}: its record to save, or null to remove it. */
    private record Change(String pid, RecoverySession session) {}
}
