package io.fatechat.core;

import static io.fatechat.core.TestEngines.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ErrorCode;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.MessageTooLongException;
import io.fatechat.spi.NotInRoomException;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.Room;
import io.fatechat.spi.UnknownRoomException;
import io.fatechat.spi.UnknownUserException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessagingTest {

    private final MutableClock clock = new MutableClock();
    private final InMemoryHistoryStore history = new InMemoryHistoryStore();
    private final RecordingSink sink = new RecordingSink();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private ChatEngine engine;
    private Room general;
    private ChatConnection alice;
    private ChatConnection bob;

    @BeforeEach
    void start() {
        engine = TestEngines.builder()
                .clock(clock)
                .historyStore(history)
                .metrics(metrics)
                .limits(ChatLimits.builder()
                        .maxMessageLength(10)
                        .messagesPerSecond(2)
                        .messageBurst(3)
                        .maxRecentMessages(5)
                        .build())
                .build();
        engine.attach(sink);
        engine.register("alice@x.io", "correct horse");
        engine.register("bob@x.io", "correct horse");
        general = engine.createRoom("alice@x.io", "General");
        engine.createRoom("alice@x.io", "Other");
        alice = engine.connect("alice@x.io");
        bob = engine.connect("bob@x.io");
        alice.joinRoom("General");
        bob.joinRoom("General");
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> history.page(general.conversation(), null, 10).size() == 2);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aMessageReachesTheRoomAndHistoryWithATimeOrderedId() {
        SendReceipt first = await(alice.sendMessage("general", "one", null));
        SendReceipt second = await(bob.sendMessage("General", "two", null));

        assertThat(first.duplicate()).isFalse();
        assertThat(first.createdAt()).isEqualTo(clock.instant());
        assertThat(second.id()).isGreaterThan(first.id());
        assertThat(first.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("two"));
        ChatMessage delivered = sink.roomMessages.stream()
                .filter(m -> m.text().equals("one"))
                .findFirst()
                .orElseThrow();
        assertThat(delivered.sender()).isEqualTo("alice@x.io");
        assertThat(delivered.event()).isFalse();
        assertThat(delivered.conversation()).isEqualTo(ConversationId.room("General"));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> history.page(general.conversation(), null, 10).size() == 4);
        assertThat(alice.recentMessages("GENERAL", 2))
                .extracting(ChatMessage::id)
                .containsExactly(second.id(), first.id());
        assertThat(metrics.sent).hasValue(2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> metrics.delivered.size() >= 4);
        assertThat(metrics.delivered).allSatisfy(latency -> assertThat(latency).isGreaterThanOrEqualTo(Duration.ZERO));
    }

    @Test
    void sendingRequiresMembershipOfAnExistingRoom() {
        assertThatThrownBy(() -> alice.sendMessage("Other", "hi", null))
                .isInstanceOfSatisfying(NotInRoomException.class, e -> {
                    assertThat(e.roomName()).isEqualTo("Other");
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
                });
        assertThatThrownBy(() -> alice.sendMessage("nowhere", "hi", null)).isInstanceOf(UnknownRoomException.class);
        assertThatThrownBy(() -> alice.sendMessage(null, "hi", null))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("roomName"));
        assertThat(metrics.refused)
                .containsExactly(ErrorCode.NOT_IN_ROOM, ErrorCode.NOT_FOUND, ErrorCode.INVALID_INPUT);
    }

    @Test
    void messagesMustBeNonEmptyValidAndShortEnough() {
        for (String empty : new String[] {null, "", "   ", "\n\t"}) {
            assertThatThrownBy(() -> alice.sendMessage("General", empty, null))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field())
                            .isEqualTo("message"));
        }
        assertThatThrownBy(() -> alice.sendMessage("General", "x".repeat(11), null))
                .isInstanceOfSatisfying(MessageTooLongException.class, e -> {
                    assertThat(e.field()).isEqualTo("message");
                    assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LONG);
                    assertThat(e.length()).isEqualTo(11);
                    assertThat(e.maxLength()).isEqualTo(10);
                });
        assertThatThrownBy(() -> alice.sendMessage("General", "bad\ud800", null))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("message"));
        String tenEmoji = "\uD83D\uDE00".repeat(10);
        assertThat(await(alice.sendMessage("General", tenEmoji, null)).id()).isNotBlank();
    }

    @Test
    void clientIdsAreAtMost64CharactersWithoutControlCharacters() {
        assertThatThrownBy(() -> alice.sendMessage("General", "hi", "c".repeat(65)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("clientId"));
        assertThatThrownBy(() -> alice.sendMessage("General", "hi", "a\nb"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("clientId"));
        assertThat(await(alice.sendMessage("General", "hi", "c".repeat(64))).duplicate())
                .isFalse();
        assertThat(await(alice.sendMessage("General", "hi", "")).duplicate())
                .as("empty means none")
                .isFalse();
    }

    @Test
    void eachUserIsRateLimitedWithATokenBucket() {
        for (int i = 0; i < 3; i++) {
            await(alice.sendMessage("General", "m" + i, null));
        }
        assertThatThrownBy(() -> alice.sendMessage("General", "m3", null))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.limit()).isEqualTo("messagesPerSecond");
                    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                });
        // The limit is per user: another connection of the same user shares it, other users do not.
        ChatConnection aliceTab2 = engine.connect("alice@x.io");
        aliceTab2.joinRoom("General");
        assertThatThrownBy(() -> aliceTab2.sendMessage("General", "m3", null)).isInstanceOf(RateLimitedException.class);
        assertThatThrownBy(() -> alice.sendPrivateMessage("bob@x.io", "m3", null))
                .isInstanceOf(RateLimitedException.class);
        await(bob.sendMessage("General", "fine", null));

        clock.advance(Duration.ofMillis(500));
        await(alice.sendMessage("General", "again", null));
        assertThatThrownBy(() -> alice.sendMessage("General", "too soon", null))
                .isInstanceOf(RateLimitedException.class);
    }

    @Test
    void privateMessagesReachBothMembersAndOnlyTheirHistory() {
        engine.register("carol@x.io", "correct horse");
        SendReceipt receipt = await(alice.sendPrivateMessage("BOB@x.io", "psst", null));

        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.privateMessages.size() == 1);
        ChatMessage delivered = sink.privateMessages.get(0);
        assertThat(delivered.id()).isEqualTo(receipt.id());
        assertThat(delivered.sender()).isEqualTo("alice@x.io");
        assertThat(delivered.conversation().members()).containsExactly("alice@x.io", "bob@x.io");

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> engine.privateHistory("bob@x.io", "alice@x.io", null, 10)
                                .size()
                        == 1);
        assertThat(engine.privateHistory("alice@x.io", "Bob@x.io", null, 10))
                .extracting(ChatMessage::text)
                .containsExactly("psst");
        assertThat(engine.privateHistory("carol@x.io", "alice@x.io", null, 10)).isEmpty();
        assertThat(engine.privateHistory("carol@x.io", "bob@x.io", null, 10)).isEmpty();
    }

    @Test
    void privateMessagesNeedAKnownWellFormedRecipient() {
        assertThatThrownBy(() -> alice.sendPrivateMessage("nobody@x.io", "hi", null))
                .isInstanceOfSatisfying(UnknownUserException.class, e -> {
                    assertThat(e.email()).isEqualTo("nobody@x.io");
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                });
        for (String to : new String[] {null, "", "not an email"}) {
            assertThatThrownBy(() -> alice.sendPrivateMessage(to, "hi", null))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field())
                            .isEqualTo("to"));
        }
        assertThatThrownBy(() -> alice.sendPrivateMessage("bob@x.io", "", null))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("message"));
        assertThatThrownBy(() -> alice.sendPrivateMessage("bob@x.io", "x".repeat(11), null))
                .isInstanceOf(MessageTooLongException.class);
        assertThatThrownBy(() -> engine.privateHistory("alice@x.io", "nobody@x.io", null, 10))
                .isInstanceOf(UnknownUserException.class);
        assertThatThrownBy(() -> engine.privateHistory("alice@x.io", "nope", null, 10))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("email"));
    }

    @Test
    void aNoteToSelfIsAllowed() {
        SendReceipt receipt = await(alice.sendPrivateMessage("alice@x.io", "milk!", null));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> engine.privateHistory("alice@x.io", "alice@x.io", null, 10)
                                .size()
                        == 1);
        assertThat(engine.privateHistory("alice@x.io", "alice@x.io", null, 10)
                        .get(0)
                        .id())
                .isEqualTo(receipt.id());
    }

    @Test
    void recentMessagesAndHistoryPagesAreNewestFirstAndClamped() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofSeconds(1));
            ids.add(await(alice.sendMessage("General", "m" + i, null)).id());
        }
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> history.page(general.conversation(), null, 20).size() == 9);
        List<String> newestFirst = new ArrayList<>(ids);
        newestFirst.sort(Comparator.reverseOrder());

        assertThat(alice.recentMessages("general", 0))
                .extracting(ChatMessage::id)
                .containsExactly(newestFirst.get(0));
        assertThat(alice.recentMessages("general", 1000)).hasSize(5);
        assertThat(bob.recentMessages("Other", 10))
                .as("membership is not needed to read")
                .isEmpty();
        assertThatThrownBy(() -> alice.recentMessages("nowhere", 5)).isInstanceOf(UnknownRoomException.class);

        List<ChatMessage> page1 = engine.roomHistory("bob@x.io", general.id(), null, 3);
        assertThat(page1).extracting(ChatMessage::id).containsExactlyElementsOf(newestFirst.subList(0, 3));
        List<ChatMessage> page2 =
                engine.roomHistory("bob@x.io", general.id(), page1.get(2).id().toUpperCase(), 3);
        assertThat(page2).extracting(ChatMessage::id).containsExactlyElementsOf(newestFirst.subList(3, 6));
        assertThat(engine.roomHistory("bob@x.io", general.id(), null, 1000)).hasSize(5);
        assertThat(engine.roomHistory("bob@x.io", general.id(), null, -3)).hasSize(1);

        for (String bad :
                new String[] {"abc", "not-a-uuid-but-36-characters-long!!!", "123e4567-e89b-12d3-a456-4266141740000"}) {
            assertThatThrownBy(() -> engine.roomHistory("bob@x.io", general.id(), bad, 3))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field())
                            .isEqualTo("before"));
        }
        assertThatThrownBy(() -> engine.roomHistory("bob@x.io", 999, null, 3)).isInstanceOf(UnknownRoomException.class);
    }

    @Test
    void typingReachesTheRoomWithItsOriginAndIsNeverStored() {
        alice.typing("general");

        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.typing.size() == 1);
        assertThat(sink.typing.get(0)).isEqualTo(new RecordingSink.Typing("General", "alice@x.io", alice.id()));
        assertThat(history.page(general.conversation(), null, 10)).hasSize(2);
        assertThatThrownBy(() -> alice.typing("Other")).isInstanceOf(NotInRoomException.class);
        assertThatThrownBy(() -> alice.typing("nowhere")).isInstanceOf(UnknownRoomException.class);
    }

    @Test
    void typingBeyondTheRateIsDroppedSilently() {
        for (int i = 0; i < 10; i++) {
            alice.typing("General");
        }
        bob.typing("General");

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> sink.typing.stream().anyMatch(t -> t.user().equals("bob@x.io")));
        assertThat(sink.typing).filteredOn(t -> t.user().equals("alice@x.io")).hasSize(3);
        clock.advance(Duration.ofSeconds(1));
        alice.typing("General");
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> sink.typing.stream()
                                .filter(t -> t.user().equals("alice@x.io"))
                                .count()
                        == 4);
        assertThat(metrics.refused).isEmpty();
    }

    @Test
    void connectionsAreCounted() {
        assertThat(metrics.connections).hasValue(2);
        alice.close();
        alice.close();
        assertThat(metrics.connections).hasValue(1);
        assertThat(engine.connectionCount()).isEqualTo(1);
    }
}
