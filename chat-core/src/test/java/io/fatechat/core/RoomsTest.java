package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.ErrorCode;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.Room;
import io.fatechat.spi.RoomExistsException;
import io.fatechat.spi.UnknownRoomException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RoomsTest {

    private final InMemoryPresenceStore presence = new InMemoryPresenceStore();
    private final RecordingSink sink = new RecordingSink();
    private ChatEngine engine;

    @BeforeEach
    void start() {
        engine = TestEngines.builder()
                .presenceStore(presence)
                .limits(ChatLimits.builder().maxRoomsPerConnection(2).build())
                .build();
        engine.attach(sink);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void createRoomTrimsAndNormalizesTheName() {
        Room room = engine.createRoom("alice@x.io", "  Cafe\u0301 Lounge  ");
        assertThat(room.name()).isEqualTo("Caf\u00e9 Lounge");
        assertThat(engine.room(room.id())).isEqualTo(room);
        assertThat(engine.rooms()).containsExactly(room);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "   ",
                "bell\u0007",
                "two\nlines",
                "tab\there",
                "evil\u202Eoverride",
                "iso\u2066late",
                "line\u2028sep",
                "private\uE000use",
                "broken\ud800"
            })
    void createRoomRefusesBadNames(String name) {
        assertThatThrownBy(() -> engine.createRoom("alice@x.io", name))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("name");
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                });
        assertThat(engine.rooms()).isEmpty();
    }

    @Test
    void roomNamesAreLimitedInCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
        assertThat(engine.createRoom("alice@x.io", emoji.repeat(64)).name()).isEqualTo(emoji.repeat(64));
        assertThatThrownBy(() -> engine.createRoom("alice@x.io", "x".repeat(65)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("name");
                    assertThat(e.getMessage()).contains("65 characters").contains("64");
                });
    }

    @Test
    void roomNamesAreUniqueCaseInsensitively() {
        engine.createRoom("alice@x.io", "General");
        assertThatThrownBy(() -> engine.createRoom("bob@x.io", " GENERAL "))
                .isInstanceOfSatisfying(RoomExistsException.class, e -> {
                    assertThat(e.roomName()).isEqualTo("GENERAL");
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                });
        assertThat(engine.rooms()).extracting(Room::name).containsExactly("General");
    }

    @Test
    void unknownRoomIdsAreRefused() {
        assertThatThrownBy(() -> engine.room(42))
                .isInstanceOfSatisfying(
                        UnknownRoomException.class, e -> assertThat(e.room()).isEqualTo("42"));
        assertThatThrownBy(() -> engine.room(0)).isInstanceOf(UnknownRoomException.class);
        assertThatThrownBy(() -> engine.roomHistory("alice@x.io", -1, null, 10))
                .isInstanceOf(UnknownRoomException.class);
    }

    @Test
    void joinResolvesNamesCaseInsensitivelyAndJoiningTwiceIsANoOp() {
        engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io");

        assertThat(alice.joinRoom(" general")).isEqualTo("General");
        assertThat(alice.joinRoom("GENERAL")).isEqualTo("General");

        assertThat(alice.rooms()).containsExactly("General");
        assertThat(alice.onlineUsersIn("general").users()).containsExactly("alice@x.io");
        await().atMost(10, TimeUnit.SECONDS).until(() -> List.of("alice@x.io").equals(sink.lastOnlineUsers("General")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").size() == 1);
        assertThat(sink.texts("General")).containsExactly("alice@x.io joined the room");
    }

    @Test
    void joiningAnUnknownRoomIsRefusedAndLeavesNoPresence() {
        ChatConnection alice = engine.connect("alice@x.io");
        assertThatThrownBy(() -> alice.joinRoom("nowhere"))
                .isInstanceOfSatisfying(
                        UnknownRoomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> alice.joinRoom(""))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("roomName"));
        assertThatThrownBy(() -> alice.joinRoom(null))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("roomName"));
        assertThat(alice.rooms()).isEmpty();
        assertThat(presence.onlineUsers("nowhere")).isEmpty();
    }

    @Test
    void aConnectionMayBeInAtMostMaxRoomsPerConnection() {
        engine.createRoom("alice@x.io", "one");
        engine.createRoom("alice@x.io", "two");
        engine.createRoom("alice@x.io", "three");
        ChatConnection alice = engine.connect("alice@x.io");
        alice.joinRoom("one");
        alice.joinRoom("two");

        assertThatThrownBy(() -> alice.joinRoom("three")).isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.limit()).isEqualTo("roomsPerConnection");
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.getMessage()).contains("2");
        });
        assertThat(presence.onlineUsers("three"))
                .as("a refused join leaves no presence")
                .isEmpty();
        assertThat(alice.rooms()).containsExactlyInAnyOrder("one", "two");

        alice.leave("one");
        assertThat(alice.joinRoom("three")).isEqualTo("three");
    }

    @Test
    void leavingTellsTheRoomAndIsANoOpForARoomNotJoined() {
        engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io");
        ChatConnection bob = engine.connect("bob@x.io");
        alice.joinRoom("General");
        bob.joinRoom("General");
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> List.of("alice@x.io", "bob@x.io").equals(sink.lastOnlineUsers("General")));

        bob.leave("general");
        bob.leave("general");

        assertThat(bob.rooms()).isEmpty();
        await().atMost(10, TimeUnit.SECONDS).until(() -> List.of("alice@x.io").equals(sink.lastOnlineUsers("General")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("bob@x.io left the room"));
        assertThat(sink.texts("General"))
                .containsExactly("alice@x.io joined the room", "bob@x.io joined the room", "bob@x.io left the room");
        assertThatThrownBy(() -> bob.leave("nowhere")).isInstanceOf(UnknownRoomException.class);
    }

    @Test
    void leaveAndOnlineUsersAnswerWithTheCanonicalRoomName() {
        engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io");
        ChatConnection bob = engine.connect("bob@x.io");
        alice.joinRoom("General");

        assertThat(bob.onlineUsersIn(" GENERAL ")).isEqualTo(new OnlineUsers("General", List.of("alice@x.io")));
        assertThat(alice.leave("general")).isEqualTo("General");
        assertThat(alice.leave("GENERAL"))
                .as("not joined: a no-op that still names the room")
                .isEqualTo("General");
        assertThat(alice.onlineUsersIn("general")).isEqualTo(new OnlineUsers("General", List.of()));
        assertThatThrownBy(() -> alice.leave("nowhere")).isInstanceOf(UnknownRoomException.class);
        assertThatThrownBy(() -> alice.onlineUsersIn("nowhere")).isInstanceOf(UnknownRoomException.class);
    }

    @Test
    void aTransportMayChooseTheConnectionId() {
        engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io", "sock_A-1b2C3d4E5f6G7h8");
        ChatConnection bob = engine.connect("bob@x.io");
        alice.joinRoom("General");
        bob.joinRoom("General");

        assertThat(alice.id()).isEqualTo("sock_A-1b2C3d4E5f6G7h8");
        assertThat(presence.onlineUsers("General")).containsExactly("alice@x.io", "bob@x.io");
        alice.typing("General");
        await().atMost(10, TimeUnit.SECONDS).until(() -> !sink.typing.isEmpty());
        assertThat(sink.typing.get(0).originConnectionId()).isEqualTo("sock_A-1b2C3d4E5f6G7h8");

        assertThatThrownBy(() -> engine.connect("carol@x.io", "sock_A-1b2C3d4E5f6G7h8"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("connectionId");
                    assertThat(e.getMessage()).contains("already open");
                });
        for (String bad : new String[] {"", "with space", "x".repeat(129), "new\nline", "\u00e9"}) {
            assertThatThrownBy(() -> engine.connect("carol@x.io", bad))
                    .as(bad)
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field())
                            .isEqualTo("connectionId"));
        }
        assertThatThrownBy(() -> engine.connect("carol@x.io", null)).isInstanceOf(InvalidInputException.class);
        assertThat(engine.connectionCount()).isEqualTo(2);

        alice.close();
        assertThat(engine.connect("alice@x.io", "sock_A-1b2C3d4E5f6G7h8").id())
                .as("a closed connection's id may be used again")
                .isEqualTo("sock_A-1b2C3d4E5f6G7h8");
    }

    @Test
    void aUserStaysOnlineWhileAnotherOfTheirConnectionsIsInTheRoom() {
        engine.createRoom("alice@x.io", "General");
        ChatConnection tab1 = engine.connect("alice@x.io");
        ChatConnection tab2 = engine.connect("alice@x.io");
        ChatConnection bob = engine.connect("bob@x.io");
        assertThat(tab1.id()).isNotEqualTo(tab2.id()).startsWith(engine.nodeId() + ":");
        tab1.joinRoom("General");
        tab2.joinRoom("General");
        bob.joinRoom("General");

        tab1.close();
        tab1.close();
        assertThat(presence.onlineUsers("General")).containsExactly("alice@x.io", "bob@x.io");

        tab2.close();
        assertThat(presence.onlineUsers("General")).containsExactly("bob@x.io");
        await().atMost(10, TimeUnit.SECONDS).until(() -> List.of("bob@x.io").equals(sink.lastOnlineUsers("General")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.texts("General").contains("alice@x.io left the room"));
        assertThat(sink.texts("General"))
                .containsExactly("alice@x.io joined the room", "bob@x.io joined the room", "alice@x.io left the room");
    }

    @Test
    void aClosedConnectionRefusesEverything() {
        engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io");
        alice.close();

        assertThatThrownBy(() -> alice.joinRoom("General")).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> alice.sendMessage("General", "hi", null)).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> alice.sendPrivateMessage("bob@x.io", "hi", null))
                .isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> alice.typing("General")).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> alice.onlineUsersIn("General").users()).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> alice.recentMessages("General", 5)).isInstanceOf(ClosedException.class);
        assertThat(engine.connectionCount()).isZero();
    }

    @Test
    void beforeAnnounceRunsWithTheCanonicalNameBeforeTheRoomIsTold() {
        engine.createRoom("alice@x.io", "General");
        ChatConnection alice = engine.connect("alice@x.io");
        List<String> seen = new ArrayList<>();

        alice.joinRoom("GENERAL", room -> {
            seen.add(room);
            seen.add("delivered so far: " + sink.roomMessages.size());
        });

        assertThat(seen).containsExactly("General", "delivered so far: 0");
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.roomMessages.size() == 1);
    }

    @Test
    void aClosedEngineRefusesNewWork() {
        engine.close();
        assertThatThrownBy(() -> engine.connect("alice@x.io")).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> engine.createRoom("alice@x.io", "x")).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> engine.register("a@x.io", "12345678")).isInstanceOf(ClosedException.class);
    }
}
