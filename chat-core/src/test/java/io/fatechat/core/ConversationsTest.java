package io.fatechat.core;

import static io.fatechat.core.TestEngines.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.memory.InMemoryBusHub;
import io.fatechat.core.memory.InMemoryConversationStore;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ErrorCode;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.NotMemberException;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.UnknownRoomException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Conversations through the engine: two nodes sharing one in-memory hub and one set of stores. */
class ConversationsTest {

    private static final String ALICE = "alice@x.io";
    private static final String BOB = "bob@x.io";
    private static final String CAROL = "carol@x.io";

    private final InMemoryBusHub hub = new InMemoryBusHub();
    private final InMemoryPresenceStore presence = new InMemoryPresenceStore();
    private final InMemoryHistoryStore history = new InMemoryHistoryStore();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final InMemoryRoomStore rooms = new InMemoryRoomStore();
    private final InMemoryConversationStore conversationStore = new InMemoryConversationStore();
    private final RecordingSink sinkA = new RecordingSink();
    private final RecordingSink sinkB = new RecordingSink();
    private ChatEngine nodeA;
    private ChatEngine nodeB;
    private final ConversationId general = ConversationId.room("General");

    @BeforeEach
    void start() {
        nodeA = node("a", ChatLimits.DEFAULTS);
        nodeB = node("b", ChatLimits.DEFAULTS);
        nodeA.attach(sinkA);
        nodeB.attach(sinkB);
        for (String user : List.of(ALICE, BOB, CAROL)) {
            nodeA.register(user, "correct horse");
        }
        nodeA.createRoom(ALICE, "General");
    }

    private ChatEngine node(String id, ChatLimits limits) {
        return TestEngines.builder()
                .nodeId(id)
                .messageBus(new InMemoryMessageBus(hub, id))
                .presenceStore(presence)
                .historyStore(history)
                .userStore(users)
                .roomStore(rooms)
                .conversationStore(conversationStore)
                .limits(limits)
                .build();
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void unreadCountsReachTheMemberOnTheOtherNodeAndReadingTellsTheSender() {
        ChatConnection alice = nodeA.connect(ALICE);
        ChatConnection bob = nodeB.connect(BOB);
        alice.joinRoom("General");
        bob.joinRoom("general");

        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            sent.add(await(alice.sendMessage("General", "m" + i, null)).id());
        }

        await().atMost(10, TimeUnit.SECONDS).until(() -> sinkB.lastUnread(BOB, general) == 3);
        Conversation listed = nodeB.conversations(BOB, null, 10).conversations().get(0);
        assertThat(listed.id()).isEqualTo(general);
        assertThat(listed.unreadCount()).isEqualTo(3);
        assertThat(listed.lastMessage().id()).isEqualTo(sent.get(2));

        Conversation read = nodeB.markRead(BOB, "General", null, sent.get(2));

        assertThat(read.unreadCount()).isZero();
        assertThat(read.readMessageId()).isEqualTo(sent.get(2));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> sinkA.reads.contains(new RecordingSink.Read(general, BOB, sent.get(2))));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sinkB.lastUnread(BOB, general) == 0);
        assertThat(nodeA.conversations(BOB, null, 10).conversations().get(0).unreadCount())
                .isZero();
        assertThat(nodeA.readMarkers(ALICE, "General", null))
                .contains(new io.fatechat.spi.ReadMarker(BOB, sent.get(2)));
        assertThatThrownBy(() -> nodeA.readMarkers(CAROL, "General", null)).isInstanceOf(NotMemberException.class);
        assertThat(nodeA.conversations(ALICE, null, 10).conversations().get(0).unreadCount())
                .as("one has read what one wrote")
                .isZero();
    }

    @Test
    void aPrivateConversationIsListedForBothAndMarkedByTheOtherUser() {
        ChatConnection alice = nodeA.connect(ALICE);
        nodeB.connect(BOB);
        String id = await(alice.sendPrivateMessage(BOB, "psst", null)).id();
        ConversationId direct = ConversationId.direct(ALICE, BOB);

        await().atMost(10, TimeUnit.SECONDS).until(() -> sinkB.lastUnread(BOB, direct) == 1);
        assertThat(nodeB.conversations(BOB, null, 10).conversations())
                .extracting(Conversation::id)
                .containsExactly(direct);

        assertThat(nodeB.markRead(BOB, null, ALICE, id).unreadCount()).isZero();
        await().atMost(10, TimeUnit.SECONDS).until(() -> sinkA.reads.contains(new RecordingSink.Read(direct, BOB, id)));
        assertThat(nodeA.markRead(BOB, direct.key(), id).readMessageId())
                .as("by id, as REST names it")
                .isEqualTo(id);
        assertThatThrownBy(() -> nodeA.markRead(CAROL, null, ALICE, id))
                .as("Carol's own empty conversation with Alice")
                .isInstanceOf(NotMemberException.class);
        assertThatThrownBy(() -> nodeA.markRead(CAROL, direct.key(), id))
                .isInstanceOfSatisfying(
                        NotMemberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void membershipOutlivesTheConnectionAndEndsWithLeaving() {
        ChatConnection bob = nodeB.connect(BOB);
        bob.joinRoom("General");
        bob.close();

        ChatConnection again = nodeA.connect(BOB);
        assertThat(nodeA.conversations(BOB, null, 10).conversations())
                .extracting(Conversation::id)
                .containsExactly(general);

        again.leave("General");
        assertThat(nodeA.conversations(BOB, null, 10).conversations()).isEmpty();
        assertThatThrownBy(() -> nodeA.markRead(BOB, "General", null, newId()))
                .isInstanceOfSatisfying(
                        NotMemberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_IN_ROOM));
    }

    @Test
    void conversationsArePaged() {
        ChatConnection bob = nodeA.connect(BOB);
        for (int i = 0; i < 5; i++) {
            nodeA.createRoom(ALICE, "room" + i);
            bob.joinRoom("room" + i);
        }
        bob.joinRoom("General");

        ConversationPage first = nodeA.conversations(BOB, null, 4);
        ConversationPage second = nodeA.conversations(BOB, first.next(), 4);

        assertThat(first.conversations()).hasSize(4);
        assertThat(first.next()).isNotNull();
        assertThat(second.conversations()).hasSize(2);
        assertThat(second.next()).isNull();
        List<ConversationId> all = new ArrayList<>();
        first.conversations().forEach(c -> all.add(c.id()));
        second.conversations().forEach(c -> all.add(c.id()));
        assertThat(all).doesNotHaveDuplicates().hasSize(6);
        assertThatThrownBy(() -> nodeA.conversations(BOB, "not a cursor!", 4))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("after"));
    }

    @Test
    void badRequestsAreRefusedByName() {
        nodeA.connect(BOB).joinRoom("General");

        assertThatThrownBy(() -> nodeA.markRead(BOB, "General", ALICE, newId()))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("roomName"));
        assertThatThrownBy(() -> nodeA.markRead(BOB, null, null, newId())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> nodeA.markRead(BOB, "Nowhere", null, newId()))
                .isInstanceOf(UnknownRoomException.class);
        assertThatThrownBy(() -> nodeA.markRead(BOB, "General", null, "not-an-id"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("messageId"));
        assertThatThrownBy(() ->
                        nodeA.markRead(BOB, "General", null, UUID.randomUUID().toString()))
                .as("a v4 UUID is no message id")
                .isInstanceOf(InvalidInputException.class);
        String farFuture =
                new UUID((System.currentTimeMillis() + 3_600_000L) << 16 | 0x7000L, 0x8000000000000000L).toString();
        assertThatThrownBy(() -> nodeA.markRead(BOB, "General", null, farFuture))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage())
                        .contains("newer"));
        assertThatThrownBy(() -> nodeA.markRead(BOB, "x:nonsense", newId()))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("id"));
        assertThat(nodeA.conversations(BOB, null, 10).conversations().get(0).readMessageId())
                .as("nothing refused moved the marker")
                .doesNotStartWith(farFuture.substring(0, 8));
    }

    @Test
    void requestsAreRateLimitedPerUser() {
        ChatEngine strict = node(
                "strict",
                ChatLimits.builder().messagesPerSecond(1).messageBurst(2).build());
        try {
            strict.conversations(BOB, null, 10);
            strict.conversations(BOB, null, 10);
            assertThatThrownBy(() -> strict.conversations(BOB, null, 10)).isInstanceOf(RateLimitedException.class);
            assertThat(strict.conversations(CAROL, null, 10).conversations())
                    .as("another user's budget")
                    .isEmpty();
        } finally {
            strict.close();
        }
    }

    private static String newId() {
        return new UUID(System.currentTimeMillis() << 16 | 0x7000L, 0x8000000000000000L).toString();
    }
}
