package io.fatechat.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.ChatConnection;
import io.fatechat.core.SendReceipt;
import io.fatechat.spi.ChatMessage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two chat nodes on one broker: what a user does on one node reaches a user on the other. */
class TwoNodeChatIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.shared();

    private static final Duration WAIT = Duration.ofSeconds(30);

    private ChatNodes cluster;
    private ChatNodes.Node nodeA;
    private ChatNodes.Node nodeB;

    @BeforeEach
    void startTwoNodes() {
        String topics = KafkaBroker.uniquePrefix("two-nodes");
        cluster = new ChatNodes();
        nodeA = cluster.start(KAFKA.busConfig("node-a", topics).build());
        nodeB = cluster.start(KAFKA.busConfig("node-b", topics).build());
        nodeA.engine().register("alice@example.com", "alice-password");
        nodeB.engine().register("bob@example.com", "bob-password");
        nodeA.engine().createRoom("alice@example.com", "lobby");
    }

    @AfterEach
    void stopNodes() {
        cluster.close();
    }

    @Test
    void usersOnDifferentNodesSeeEachOtherOnlineAndChatInARoom() throws Exception {
        ChatConnection alice = nodeA.engine().connect("alice@example.com");
        ChatConnection bob = nodeB.engine().connect("bob@example.com");

        // One join at a time: each node publishes its own snapshot of the online users, and two snapshots
        // published at once by different nodes may reach the topic in either order.
        alice.joinRoom("lobby");
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodeB.sink().onlineUsers("lobby"))
                .containsExactly("alice@example.com"));
        bob.joinRoom("lobby");

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(nodeA.sink().onlineUsers("lobby")).containsExactly("alice@example.com", "bob@example.com");
            assertThat(nodeB.sink().onlineUsers("lobby")).containsExactly("alice@example.com", "bob@example.com");
        });
        assertThat(bob.onlineUsersIn("lobby").users()).containsExactly("alice@example.com", "bob@example.com");

        SendReceipt hello = alice.sendMessage("lobby", "hello from node A", "c-1")
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        SendReceipt reply = bob.sendMessage("lobby", "hello from node B", "c-2")
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(nodeB.sink().roomTexts("lobby")).containsExactly("hello from node A", "hello from node B");
            assertThat(nodeA.sink().roomTexts("lobby")).containsExactly("hello from node A", "hello from node B");
        });
        // The persister (one node of the group) wrote both, once.
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                        nodeB
                                .engine()
                                .roomHistory(
                                        "bob@example.com",
                                        nodeB.engine().rooms().get(0).id(),
                                        null,
                                        50)
                                .stream()
                                .filter(m -> !m.event())
                                .map(ChatMessage::id))
                .containsExactly(reply.id(), hello.id()));

        bob.typing("lobby");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(nodeA.sink().typing()).anySatisfy(t -> {
                    assertThat(t.user()).isEqualTo("bob@example.com");
                    assertThat(t.room()).isEqualTo("lobby");
                }));

        bob.close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodeA.sink().onlineUsers("lobby"))
                .containsExactly("alice@example.com"));
    }

    @Test
    void privateMessagesCrossNodes() throws Exception {
        ChatConnection alice = nodeA.engine().connect("alice@example.com");
        ChatConnection bob = nodeB.engine().connect("bob@example.com");

        SendReceipt toBob = alice.sendPrivateMessage("bob@example.com", "psst, bob", null)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        SendReceipt toAlice = bob.sendPrivateMessage("alice@example.com", "hi alice", null)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(nodeB.sink().privateMessages())
                    .extracting(ChatMessage::id)
                    .containsExactly(toBob.id(), toAlice.id());
            assertThat(nodeA.sink().privateMessages())
                    .extracting(ChatMessage::id)
                    .containsExactly(toBob.id(), toAlice.id());
        });
        ChatMessage received = nodeB.sink().privateMessages().get(0);
        assertThat(received.sender()).isEqualTo("alice@example.com");
        assertThat(received.conversation().members()).containsExactlyInAnyOrder("alice@example.com", "bob@example.com");
        assertThat(received.text()).isEqualTo("psst, bob");
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                        nodeA.engine().privateHistory("alice@example.com", "bob@example.com", null, 10))
                .extracting(ChatMessage::id)
                .containsExactly(toAlice.id(), toBob.id()));
    }

    @Test
    void aResendThroughTheOtherNodeIsShownAndStoredOnce() throws Exception {
        ChatConnection aliceOnA = nodeA.engine().connect("alice@example.com");
        ChatConnection aliceOnB = nodeB.engine().connect("alice@example.com");
        aliceOnA.joinRoom("lobby");
        aliceOnB.joinRoom("lobby");

        SendReceipt first = aliceOnA.sendMessage("lobby", "only once", "same-client-id")
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(nodeB.sink().roomTexts("lobby")).containsExactly("only once"));
        SendReceipt again = aliceOnB.sendMessage("lobby", "only once", "same-client-id")
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.duplicate()).isTrue();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(nodeA
                                .engine()
                                .roomHistory(
                                        "alice@example.com",
                                        nodeA.engine().rooms().get(0).id(),
                                        null,
                                        50)
                                .stream()
                                .filter(m -> !m.event())
                                .map(ChatMessage::id))
                        .containsExactly(first.id()));
        assertThat(nodeA.sink().roomTexts("lobby")).containsExactly("only once");
        assertThat(nodeB.sink().roomTexts("lobby")).containsExactly("only once");
    }
}
