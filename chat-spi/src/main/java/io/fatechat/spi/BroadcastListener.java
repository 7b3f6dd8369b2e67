package io.fatechat.spi;

/**
 * Receives every record of a topic on every node (live fan-out).
 *
 * <p>Called on a bus thread, one record at a time per subscription, in publish order per key. It must not
 * block; an exception it throws is logged and the record skipped.
 */
@FunctionalInterface
public interface BroadcastListener {

    void onRecord(BusRecord record);
}
