package io.fatechat.benchmarks.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fatechat.benchmarks.load.SioClient;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Socket.IO protocol layer ({@code io.fatechat.socketio}) over real loopback WebSockets.
 *
 * <ul>
 *   <li>{@code broadcastToRoom}: {@code io.to(room).emit(...)} until all {@code recipients} clients received it:
 *       one encode, the same frame queued to every connection;</li>
 *   <li>{@code eventAckRoundTrip}: a client's EVENT with an ack id, decoded, dispatched, the ACK encoded and
 *       back (the packet decode + encode path, plus loopback);</li>
 *   <li>{@code encodeEventPacket}/{@code decodeEventPacket}: the Jackson work of one {@code receiveMessage}
 *       packet, as the codec does it (the codec class itself is package-private).</li>
 * </ul>
 */
public class SocketIoBenchmark extends SampledBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> MESSAGE = Map.of(
            "id",
            "0192f5a0-7c1e-7cc3-9a51-3f1e8d3c2b10",
            "roomName",
            "general",
            "messageText",
            "hello everyone, this is a typical chat line",
            "userMail",
            "alice@example.com",
            "isEvent",
            false,
            "createdAt",
            "2026-11-27T19:00:00.000Z");
    private static final String PACKET;

    static {
        try {
            PACKET = "42" + JSON.writeValueAsString(new Object[] {"receiveMessage", MESSAGE});
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A server with {@code recipients} clients in one room. */
    @State(Scope.Benchmark)
    public static class Room {
        @Param({"1", "100", "1000"})
        public int recipients;

        SocketIoFixture fixture;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = new SocketIoFixture(recipients);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            fixture.close();
        }
    }

    /** A server with one client. */
    @State(Scope.Benchmark)
    public static class OneClient {
        SocketIoFixture fixture;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = new SocketIoFixture(1);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            fixture.close();
        }
    }

    @Benchmark
    public int broadcastToRoom(Room room) {
        SocketIoFixture f = room.fixture;
        long before = f.received.get();
        int sent = f.io.to("r").emit("receiveMessage", MESSAGE);
        Spin.until(() -> f.received.get() >= before + room.recipients, 10_000, "broadcast");
        return sent;
    }

    @Benchmark
    public String eventAckRoundTrip(OneClient one) {
        SioClient client = one.fixture.clients.get(0);
        AtomicReference<String> answer = new AtomicReference<>();
        client.emit("echo", "{\"roomName\":\"general\",\"message\":\"hello\"}", answer::set);
        Spin.until(() -> answer.get() != null, 10_000, "ack");
        return answer.get();
    }

    @Benchmark
    public String encodeEventPacket() throws Exception {
        return "42" + JSON.writeValueAsString(new Object[] {"receiveMessage", MESSAGE});
    }

    @Benchmark
    public JsonNode decodeEventPacket() throws Exception {
        return JSON.readTree(PACKET.substring(2));
    }
}
