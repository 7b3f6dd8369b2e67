package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A room broadcast to 1,000 sockets encodes the packet once and queues the very same frame instance for every
 * recipient (no per-recipient copy). Runs without a container: the connections are polling sessions whose
 * client never polls, so the frames stay in their queues for inspection.
 */
class BroadcastFanOutTest {

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final SocketIoServer io = SocketIoServer.create(
            SocketIoConfig.builder().workerThreads(1).metrics(metrics).build());

    @AfterEach
    void close() {
        io.close();
    }

    @Test
    void broadcastToThousandSocketsEncodesOnceAndSharesTheFrame() {
        List<EngineSession> members = new ArrayList<>();
        io.onConnection(socket -> socket.join("hall"));
        for (int i = 0; i < 1001; i++) {
            // a polling session whose client never polls: what is sent to it stays in its queue
            EngineSession conn = io.core.open(
                    new SocketIoHandshake(Map.of(), Map.of(), "test", null, Instant.now()),
                    "client-" + i,
                    PollingTransport::new);
            SocketIoClient client = (SocketIoClient) conn.listener();
            client.onText(
                    "0"); // Socket.IO CONNECT to "/" (the Engine.IO "4" is already stripped); runs the handler inline
            if (i < 1000) {
                members.add(conn);
            } else {
                client.onText("1"); // one that disconnected again gets nothing
            }
        }
        int encodedBefore = metrics.encoded.get();

        int recipients = io.to("hall").emit("news", Map.of("text", "hello"));

        assertThat(recipients).isEqualTo(1000);
        assertThat(metrics.encoded.get() - encodedBefore).isEqualTo(1);
        Frame shared = last(members.get(0));
        assertThat(shared.text).isEqualTo("42[\"news\",{\"text\":\"hello\"}]");
        for (EngineSession conn : members) {
            assertThat(last(conn)).isSameAs(shared);
        }
    }

    private static Frame last(EngineSession conn) {
        List<Frame> frames = conn.queuedFrames();
        return frames.get(frames.size() - 1);
    }
}
