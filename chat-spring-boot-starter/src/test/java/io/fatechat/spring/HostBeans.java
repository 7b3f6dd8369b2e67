package io.fatechat.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;

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
