package io.fatechat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.spi.Room;
import io.fatechat.spi.RoomExistsException;
import io.fatechat.spi.RoomStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The {@link RoomStore} contract as tests. A backend proves itself by extending this class:
 *
 * <pre>{@code
 * class MariaDbRoomStoreCompatibilityIT extends RoomStoreCompatibilityKit {
 *     static JdbcChatStores stores;                // started once per class on a throwaway database
 *
 *     @Override
 *     protected RoomStore newStore() {     // the same database for every store of a test
 *         return stores.rooms();
 *     }
 * }
 * }</pre>
 *
 * Room names are unique per test and {@link RoomStore#list()} is filtered to them, so the kit can share a
 * database with other runs.
 */
public abstract class RoomStoreCompatibilityKit extends StoreCompatibilityKit<RoomStore> {

    /** Makes a store connected to the same backend as every other store made during the current test. */
    @Override
    protected abstract RoomStore newStore();

    /** How far a room's creation time may be from the test's clock (database clocks and rounding). */
    protected Duration clockTolerance() {
        return Duration.ofSeconds(5);
    }

    @Test
    void createdRoomHasAnIdTheNameAndTheCurrentTime() {
        RoomStore store = store();
        Instant before = Instant.now();

        Room room = store.create(name("Lobby"));

        Instant after = Instant.now();
        assertThat(room.id()).isPositive();
        assertThat(room.name()).isEqualTo(name("Lobby"));
        assertThat(room.createdAt()).isBetween(before.minus(clockTolerance()), after.plus(clockTolerance()));
    }

    @Test
    void roomIsFoundByIdAndByNameInAnyCase() {
        RoomStore store = store();
        Room room = store.create(name("Lobby"));

        assertThat(store.findById(room.id())).contains(room);
        assertThat(store.findByName(name("Lobby"))).contains(room);
        assertThat(store.findByName(name("Lobby").toUpperCase(Locale.ROOT))).contains(room);
        assertThat(store.findByName(name("Lobby").toLowerCase(Locale.ROOT))).contains(room);
    }

    @Test
    void unknownRoomIsEmpty() {
        RoomStore store = store();
        Room room = store.create(name("lobby"));

        assertThat(store.findByName(name("nowhere"))).isEmpty();
        assertThat(store.findById(Long.MAX_VALUE)).isEmpty();
        assertThat(store.findById(room.id() + 1_000_000)).isEmpty();
    }

    @Test
    void nameTakenInAnyCaseIsRefusedAndChangesNothing() {
        RoomStore store = store();
        Room room = store.create(name("Lobby"));

        assertThatThrownBy(() -> store.create(name("LOBBY").toUpperCase(Locale.ROOT)))
                .isInstanceOf(RoomExistsException.class)
                .satisfies(e -> assertThat(((RoomExistsException) e).roomName()).isEqualToIgnoringCase(name("lobby")));
        assertThatThrownBy(() -> store.create(name("Lobby"))).isInstanceOf(RoomExistsException.class);

        assertThat(ours(store.list())).containsExactly(room);
    }

    @Test
    void listHasEveryRoomOldestFirst() {
        RoomStore store = store();
        List<Room> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(store.create(name("room" + i)));
        }

        assertThat(ours(store.list())).containsExactlyElementsOf(created);
        assertThat(created).extracting(Room::id).doesNotHaveDuplicates();
    }

    @Test
    void everyNodeSeesTheSameRooms() {
        RoomStore nodeA = store();
        RoomStore nodeB = store();
        Room room = nodeA.create(name("shared"));

        assertThat(nodeB.findByName(name("shared"))).contains(room);
        assertThat(nodeB.findById(room.id())).contains(room);
        assertThatThrownBy(() -> nodeB.create(name("Shared"))).isInstanceOf(RoomExistsException.class);
    }

    @Test
    void concurrentCreatesOfOneNameHaveExactlyOneWinner() {
        RoomStore store = store();
        int threads = 8;

        List<KitSupport.Outcome<Room>> outcomes = KitSupport.runConcurrently(
                threads, timeout(), t -> () -> store.create(t % 2 == 0 ? name("race") : name("RACE")));

        List<Room> winners = outcomes.stream()
                .filter(KitSupport.Outcome::succeeded)
                .map(KitSupport.Outcome::value)
                .toList();
        assertThat(winners).hasSize(1);
        assertThat(outcomes.stream().filter(o -> !o.succeeded()).map(KitSupport.Outcome::failure))
                .hasSize(threads - 1)
                .allSatisfy(e -> assertThat(e).isInstanceOf(RoomExistsException.class));
        assertThat(ours(store.list())).containsExactly(winners.get(0));
    }

    @Test
    void concurrentCreatesOfDistinctNamesAllSucceedWithDistinctIds() {
        RoomStore store = store();
        int threads = 4;
        int perThread = 10;

        List<KitSupport.Outcome<List<Room>>> outcomes = KitSupport.runConcurrently(threads, timeout(), t -> () -> {
            List<Room> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(store.create(name("r" + t + "-" + i)));
            }
            return mine;
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        List<Room> created = outcomes.stream().flatMap(o -> o.value().stream()).toList();
        assertThat(created).extracting(Room::id).doesNotHaveDuplicates();
        assertThat(ours(store.list())).containsExactlyInAnyOrderElementsOf(created);
    }

    // ---- helpers: names unique to this test

    /** A room name unique to this test (16 characters plus {@code name}). */
    protected final String name(String name) {
        return prefix() + name;
    }

    private List<Room> ours(List<Room> rooms) {
        assertThat(rooms).as("list()").isNotNull();
        return rooms.stream()
                .filter(r -> r.name().toLowerCase(Locale.ROOT).startsWith(prefix()))
                .toList();
    }
}
