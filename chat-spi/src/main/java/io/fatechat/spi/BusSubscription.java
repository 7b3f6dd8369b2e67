package io.fatechat.spi;

/** A live subscription; closing it stops delivery to its listener. Idempotent. */
@FunctionalInterface
public interface BusSubscription extends AutoCloseable {

    @Override
    void close();
}
