package io.fatechat.benchmarks.jmh;

import io.fatechat.core.ChatConnection;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatEventSink;
import io.fatechat.core.ChatLimits;
import io.fatechat.spi.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link ChatEngine} send-to-deliver on the in-memory bus: one sender, {@code subscribers} local connections in
 * the room. The sink does what a transport does per delivery: encode once, hand the same bytes to every local
 * member of the room. One operation = {@code sendMessage} until the last member has the bytes.
 */
@State(Scope.Benchmark)
public class EngineDeliveryBenchmark extends SampledBenchmark {

    private static final String ROOM = "bench";

    @Param({"1", "100", "10000"})
    public int subscribers;

    private ChatEngine engine;
    private ChatConnection sender;
    private FanOutSink sink;

    @Setup(Level.Trial)
    public void setUp() {
        engine = ChatEngine.builder()
                .tokenSecret("a jmh secret of at least thirty-two bytes")
                .bcryptCost(4)
                .limits(ChatLimits.builder()
                        .messagesPerSecond(1_000_000)
                        .messageBurst(1_000_000)
                        .maxRoomsPerConnection(1)
                        .build())
                .build();
        sink = new FanOutSink(subscribers);
        engine.attach(sink);
        engine.createRoom("admin@bench.local", ROOM);
        // At most 100 distinct users: the join storm's online-user lists stay small; deliveries are per connection.
        int users = Math.min(subscribers, 100);
        List<ChatConnection> connections = new ArrayList<>(subscribers);
        for (int i = 0; i < subscribers; i++) {
            ChatConnection c = engine.connect("u" + (i % users) + "@bench.local");
            c.joinRoom(ROOM);
            connections.add(c);
        }
        sender = connections.get(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public Object sendToDeliver() {
        long before = sink.delivered.get();
        sender.sendMessage(ROOM, "hello from jmh", null);
        Spin.until(() -> sink.delivered.get() > before, 10_000, "delivery");
        return sink.last;
    }

    /** Encodes each room message once and stores the same bytes in every member's slot. */
    static final class FanOutSink implements ChatEventSink {
        final AtomicLong delivered = new AtomicLong();
        final byte[][] slots;
        volatile byte[] last;

        FanOutSink(int members) {
            slots = new byte[members][];
        }

        @Override
        public void roomMessage(ChatMessage message) {
            if (message.event()) {
                return;
            }
            byte[] frame = ("42[\"receiveMessage\",{\"id\":\"" + message.id() + "\",\"roomName\":\""
                            + message.conversation().roomName() + "\",\"messageText\":\"" + message.text()
                            + "\",\"userMail\":\"" + message.sender() + "\",\"isEvent\":false,\"createdAt\":\""
                            + message.createdAt() + "\"}]")
                    .getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < slots.length; i++) {
                slots[i] = frame;
            }
            last = frame;
            delivered.incrementAndGet();
        }

        @Override
        public void privateMessage(ChatMessage message) {}

        @Override
        public void onlineUsers(String room, List<String> users) {}

        @Override
        public void typing(String room, String user, String originConnectionId) {}
    }
}
