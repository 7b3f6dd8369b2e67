package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Room;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole happy path on one node with every default: register, log in, create, join, send, deliver, persist. */
class ChatEngineSmokeTest {

    private final ChatEngine engine = ChatEngine.builder().bcryptCost(4).build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void registersJoinsSendsDeliversAndPersists() throws Exception {
        String token = engine.register("Alice@Example.com", "correct horse");
        assertThat(engine.authenticate(token)).isEqualTo("alice@example.com");
        assertThat(engine.authenticate(engine.login("alice@example.com", "correct horse")))
                .isEqualTo("alice@example.com");

        Room room = engine.createRoom("alice@example.com", "General");
        RecordingSink sink = new RecordingSink();
        engine.attach(sink);

        ChatConnection alice = engine.connect("alice@example.com");
        assertThat(alice.joinRoom("general")).isEqualTo("General");
        SendReceipt receipt = alice.sendMessage("GENERAL", "hello", null)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(receipt.duplicate()).isFalse();

        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("hello"));
        assertThat(sink.texts("General")).containsExactly("alice@example.com joined the room", "hello");
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> List.of("alice@example.com").equals(sink.lastOnlineUsers("General")));

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> engine.roomHistory("alice@example.com", room.id(), null, 10)
                                .size()
                        == 2);
        List<ChatMessage> history = engine.roomHistory("alice@example.com", room.id(), null, 10);
        assertThat(history.get(0).id()).isEqualTo(receipt.id());
        assertThat(history.get(0).createdAt()).isEqualTo(receipt.createdAt());
        assertThat(history.get(1).event()).isTrue();
        assertThat(alice.recentMessages("general", 1))
                .extracting(ChatMessage::text)
                .containsExactly("hello");
    }
}
