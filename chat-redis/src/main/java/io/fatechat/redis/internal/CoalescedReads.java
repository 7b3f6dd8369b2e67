package io.fatechat.redis.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Shares reads of one key among concurrent callers without ever answering with a value read before the call
 * began: a caller gets a read that is sent after its call (a new one when none runs, else the one queued behind
 * the running read). So at most one read per key runs and one waits, however many callers there are, and each
 * answer reflects every write that completed before its caller asked.
 */
public final class CoalescedReads<V> {

    private final Function<String, CompletableFuture<V>> reader;
    private final ConcurrentHashMap<String, Slot<V>> slots = new ConcurrentHashMap<>();

    private static final class Slot<V> {
        CompletableFuture<V> running;
        CompletableFuture<V> queued;
    }

    /** @param reader sends one read of a key; it must not block */
    public CoalescedReads(Function<String, CompletableFuture<V>> reader) {
        this.reader = reader;
    }

    /** The answer of a read of {@code key} sent after this call. */
    public CompletableFuture<V> read(String key) {
        while (true) {
            Slot<V> slot = slots.computeIfAbsent(key, k -> new Slot<>());
            CompletableFuture<V> mine;
            synchronized (slot) {
                if (slots.get(key) != slot) {
                    continue; // retired while we waited for it; take the current one
                }
                if (slot.running == null) {
                    mine = new CompletableFuture<>();
                    slot.running = mine;
                } else {
                    if (slot.queued == null) {
                        slot.queued = new CompletableFuture<>();
                    }
                    return slot.queued;
                }
            }
            send(key, slot, mine);
            return mine;
        }
    }

    /** Number of keys with a read running (bounded by the callers in flight). */
    public int inFlight() {
        return slots.size();
    }

    private void send(String key, Slot<V> slot, CompletableFuture<V> target) {
        CompletableFuture<V> read;
        try {
            read = reader.apply(key);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((value, error) -> {
            CompletableFuture<V> next;
            synchronized (slot) {
                next = slot.queued;
                slot.queued = null;
                slot.running = next;
                if (next == null) {
                    slots.remove(key, slot);
                }
            }
            // The next read is sent before this answer is handed out: callers woken by it may ask again at once.
            if (next != null) {
                send(key, slot, next);
            }
            if (error != null) {
                target.completeExceptionally(error);
            } else {
                target.complete(value);
            }
        });
    }
}
