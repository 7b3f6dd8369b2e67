package io.fatechat.spring;

import io.fatechat.spi.HistoryStore;

/**
 * Wraps the history store the engine uses, e.g. with a cache of the newest messages. Beans of this type are
 * applied in their {@link org.springframework.core.annotation.Order order}, the first one innermost.
 */
@FunctionalInterface
public interface HistoryStoreDecorator {

    HistoryStore decorate(HistoryStore store);
}
