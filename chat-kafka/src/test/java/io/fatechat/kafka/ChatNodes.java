package io.fatechat.kafka;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatLimits;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat nodes as a deployment runs them: each with its own {@link KafkaMessageBus} and {@link ChatEngine}, all
 * sharing the stores (users, rooms, history, presence) that Redis and MySQL would hold.
 */
final class ChatNodes implements AutoCloseable {

    record Node(ChatEngine engine, KafkaMessageBus bus, RecordingSink sink) {}

    final InMemoryUserStore users = new InMemoryUserStore();
    final InMemoryRoomStore rooms = new InMemoryRoomStore();
    final InMemoryHistoryStore history = new InMemoryHistoryStore();
    final InMemoryPresenceStore presence = new InMemoryPresenceStore();
    private final byte[] tokenSecret = new byte[32];
    private final List<Node> nodes = new ArrayList<>();

    ChatNodes() {
        new SecureRandom().nextBytes(tokenSecret);
    }

    Node start(KafkaBusConfig config) {
        KafkaMessageBus bus = KafkaMessageBus.start(config);
        try {
            ChatEngine engine = ChatEngine.builder()
                    .nodeId(config.nodeId())
                    .messageBus(bus)
                    .userStore(users)
                    .roomStore(rooms)
                    .historyStore(history)
                    .presenceStore(presence)
                    .tokenSecret(tokenSecret)
                    .bcryptCost(4)
                    .limits(ChatLimits.builder()
                            .messagesPerSecond(1_000)
                            .messageBurst(1_000)
                            .build())
                    .build();
            RecordingSink sink = new RecordingSink();
            engine.attach(sink);
            Node node = new Node(engine, bus, sink);
            nodes.add(node);
            return node;
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).engine().close();
            nodes.get(i).bus().close();
        }
        nodes.clear();
    }
}
