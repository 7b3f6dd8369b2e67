package io.fatechat.spring;

import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A host that brings its own message bus and presence store. */
@Configuration(proxyBeanMethods = false)
public class HostBeans {

    @Bean
    MessageBus hostBus() {
        return new InMemoryMessageBus();
    }

    @Bean
    PresenceStore hostPresence() {
        return new InMemoryPresenceStore();
    }
}
