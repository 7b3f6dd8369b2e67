package io.fatechat.spi;

import java.util.List;

/**
 * Receives the records of a shared subscription in batches; one member of a group gets each record.
 *
 * <p>Returning normally acknowledges the batch (Kafka: commits its offsets). Throwing means nothing of it was
 * handled: the bus delivers the same records again, after a back-off, until a call returns. So delivery is
 * at-least-once and the handler must be idempotent (history stores are, by message id).
 */
@FunctionalInterface
public interface BatchListener {

    void onBatch(List<BusRecord> batch) throws Exception;
}
