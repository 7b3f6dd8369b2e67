package io.fatechat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.spi.PresenceStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The {@link PresenceStore} contract as tests. A backend proves itself by extending this class:
 *
 * <pre>{@code
 * class RedisPresenceStoreCompatibilityIT extends PresenceStoreCompatibilityKit {
 *     static final RedisConfig CONFIG = RedisConfig.builder().uri(redisUrl())
 *             .keyPrefix("tck:" + UUID.randomUUID() + ":").build();
 *
 *     @Override
 *     protected PresenceStore newStore() {          // same Redis and key prefix for every store of a test
 *         return new RedisPresenceStore(CONFIG);
 *     }
 *     // Real TTLs: leave advanceTime() alone; real time passes while the kit polls.
 * }
 * }</pre>
 *
 * An implementation with an injectable clock overrides {@link #advanceTime(Duration)} to move it instead.
 * Node ids, connection ids, users and rooms are unique per test, and results are filtered to them, so the kit
 * can share a backend with other runs.
 */
public abstract class PresenceStoreCompatibilityKit extends StoreCompatibilityKit<PresenceStore> {

    /**
     * Makes a store connected to the same backend as every other store made during the current test (as two
     * server nodes would be). Called once or several times per test.
     */
    @Override
    protected abstract PresenceStore newStore();

    /**
     * Makes time pass for lease purposes. The kit calls it repeatedly, with {@link #leaseTtl()} / 4, while it
     * waits for a lease to lapse. The default does nothing, which suits backends with real TTLs: real time
     * passes between the kit's polls. A store with a test clock advances that clock.
     */
    protected void advanceTime(Duration duration) {}

    /** The lease TTL the kit uses; short so that real TTLs lapse quickly. */
    protected Duration leaseTtl() {
        return Duration.ofSeconds(1);
    }

    @Test
    void onlineUsersAreDistinctAndSorted() {
        PresenceStore store = store();
        String node = node("a");
        String room = room("lobby");
        store.renewLease(node, timeout());
        store.join(node, conn("3"), user("carol"), room);
        store.join(node, conn("1"), user("alice"), room);
        store.join(node, conn("2"), user("bob"), room);
        store.join(node, conn("4"), user("alice"), room);

        assertThat(store.onlineUsers(room)).containsExactly(user("alice"), user("bob"), user("carol"));
    }

    @Test
    void unknownRoomHasNoOnlineUsers() {
        assertThat(store().onlineUsers(room("nobody-here"))).isEmpty();
    }

    @Test
    void presenceIsPerConnection() {
        PresenceStore store = store();
        String node = node("a");
        String room = room("lobby");
        store.renewLease(node, timeout());
        store.join(node, conn("tab1"), user("alice"), room);
        store.join(node, conn("tab2"), user("alice"), room);

        assertThat(store.leave(conn("tab1"), room)).isTrue();
        assertThat(store.onlineUsers(room))
                .as("still online through the second tab")
                .containsExactly(user("alice"));

        assertThat(store.leave(conn("tab2"), room)).isTrue();
        assertThat(store.onlineUsers(room)).isEmpty();
    }

    @Test
    void joinIsIdempotentAndLeaveReportsWhetherTheConnectionWasThere() {
        PresenceStore store = store();
        String node = node("a");
        String room = room("lobby");
        store.renewLease(node, timeout());
        store.join(node, conn("c"), user("alice"), room);
        store.join(node, conn("c"), user("alice"), room);

        assertThat(store.leave(conn("c"), room)).isTrue();
        assertThat(store.onlineUsers(room)).isEmpty();
        assertThat(store.leave(conn("c"), room)).isFalse();
        assertThat(store.leave(conn("never-joined"), room)).isFalse();
    }

    @Test
    void joinSaysWhetherTheUserWasAlreadyOnlineInTheRoom() {
        PresenceStore store = store();
        String node = node("a");
        String room = room("lobby");
        store.renewLease(node, timeout());

        assertThat(store.join(node, conn("tab1"), user("alice"), room))
                .as("first connection")
                .isFalse();
        assertThat(store.join(node, conn("tab2"), user("alice"), room))
                .as("second tab")
                .isTrue();
        assertThat(store.join(node, conn("tab1"), user("alice"), room))
                .as("joining again")
                .isTrue();
        assertThat(store.join(node, conn("b1"), user("bob"), room))
                .as("another user")
                .isFalse();
        assertThat(store.join(node, conn("tab1"), user("alice"), room("other")))
                .as("another room")
                .isFalse();

        store.leave(conn("tab1"), room);
        store.leave(conn("tab2"), room);
        assertThat(store.join(node, conn("tab3"), user("alice"), room))
                .as("after every tab left")
                .isFalse();
        store.leaveAll(conn("tab3"));
        assertThat(store.join(node, conn("tab3"), user("alice"), room))
                .as("after leaveAll")
                .isFalse();
    }

    @Test
    void joinSeesTheUsersConnectionsOnOtherNodes() {
        PresenceStore storeA = store();
        PresenceStore storeB = store();
        String room = room("lobby");
        storeA.renewLease(node("a"), timeout());
        storeB.renewLease(node("b"), timeout());

        assertThat(storeA.join(node("a"), conn("a1"), user("alice"), room)).isFalse();
        assertThat(storeB.join(node("b"), conn("b1"), user("alice"), room))
                .as("online through node a")
                .isTrue();

        storeA.removeNode(node("a"));
        storeB.leaveAll(conn("b1"));
        assertThat(storeB.join(node("b"), conn("b2"), user("alice"), room))
                .as("node a removed")
                .isFalse();
    }

    @Test
    void joinAgreesWithOnlineUsersAboutANodeWhoseLeaseLapsed() {
        PresenceStore store = store();
        String dead = node("dead");
        String alive = node("alive");
        String room = room("lobby");
        store.renewLease(dead, leaseTtl());
        store.renewLease(alive, timeout());
        store.join(dead, conn("d1"), user("dora"), room);

        await().atMost(timeout()).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            advanceTime(leaseTtl().dividedBy(4));
            store.renewLease(alive, timeout());
            if (store.onlineUsers(room).contains(user("dora"))) {
                // A store that counts entries until they are reaped; one that hides a lapsed lease's entries at
                // once (Redis) gets here only while the lease lives, so its join below meets an unreaped entry.
                store.expireLeases();
            }
            assertThat(store.onlineUsers(room)).doesNotContain(user("dora"));
        });

        assertThat(store.join(alive, conn("a1"), user("dora"), room))
                .as("only a lapsed node's entry")
                .isFalse();
        assertThat(store.onlineUsers(room)).containsExactly(user("dora"));
    }

    @Test
    void roomsAreSeparate() {
        PresenceStore store = store();
        String node = node("a");
        store.renewLease(node, timeout());
        store.join(node, conn("c1"), user("alice"), room("one"));
        store.join(node, conn("c2"), user("bob"), room("two"));

        assertThat(store.onlineUsers(room("one"))).containsExactly(user("alice"));
        assertThat(store.onlineUsers(room("two"))).containsExactly(user("bob"));
        assertThat(store.leave(conn("c1"), room("two"))).isFalse();
        assertThat(store.onlineUsers(room("one"))).containsExactly(user("alice"));
    }

    @Test
    void leaveAllRemovesTheConnectionFromEveryRoomAndReturnsThem() {
        PresenceStore store = store();
        String node = node("a");
        store.renewLease(node, timeout());
        store.join(node, conn("c1"), user("alice"), room("one"));
        store.join(node, conn("c1"), user("alice"), room("two"));
        store.join(node, conn("c2"), user("alice"), room("two"));
        store.join(node, conn("c3"), user("bob"), room("one"));

        assertThat(store.leaveAll(conn("c1"))).containsExactlyInAnyOrder(room("one"), room("two"));

        assertThat(store.onlineUsers(room("one"))).containsExactly(user("bob"));
        assertThat(store.onlineUsers(room("two")))
                .as("alice's other connection")
                .containsExactly(user("alice"));
        assertThat(store.leaveAll(conn("c1"))).isEmpty();
    }

    @Test
    void everyNodeSeesTheSamePresence() {
        PresenceStore storeA = store();
        PresenceStore storeB = store();
        String room = room("lobby");
        storeA.renewLease(node("a"), timeout());
        storeB.renewLease(node("b"), timeout());
        storeA.join(node("a"), conn("a1"), user("alice"), room);
        storeB.join(node("b"), conn("b1"), user("bob"), room);

        assertThat(storeA.onlineUsers(room)).containsExactly(user("alice"), user("bob"));
        assertThat(storeB.onlineUsers(room)).containsExactly(user("alice"), user("bob"));

        assertThat(storeB.leaveAll(conn("a1"))).containsExactly(room);
        assertThat(storeA.onlineUsers(room)).containsExactly(user("bob"));
    }

    @Test
    void removeNodeDropsItsEntriesOnlyAndReturnsTheRooms() {
        PresenceStore store = store();
        String leaving = node("leaving");
        String staying = node("staying");
        store.renewLease(leaving, timeout());
        store.renewLease(staying, timeout());
        store.join(leaving, conn("l1"), user("alice"), room("one"));
        store.join(leaving, conn("l2"), user("bob"), room("two"));
        store.join(staying, conn("s1"), user("carol"), room("two"));

        assertThat(store.removeNode(leaving)).containsExactlyInAnyOrder(room("one"), room("two"));

        assertThat(store.onlineUsers(room("one"))).isEmpty();
        assertThat(store.onlineUsers(room("two"))).containsExactly(user("carol"));
        assertThat(store.removeNode(leaving)).isEmpty();
        assertThat(store.removeNode(node("unknown"))).isEmpty();
    }

    @Test
    void entriesOfANodeWhoseLeaseLapsedExpireWhileARenewedLeaseKeepsItsEntries() {
        PresenceStore store = store();
        String dead = node("dead");
        String alive = node("alive");
        store.renewLease(dead, leaseTtl());
        store.renewLease(alive, leaseTtl());
        store.join(dead, conn("d1"), user("dora"), room("one"));
        store.join(dead, conn("d2"), user("dora"), room("two"));
        store.join(alive, conn("a1"), user("alan"), room("two"));
        store.join(alive, conn("a2"), user("alan"), room("three"));
        Map<String, AtomicInteger> reported = new ConcurrentHashMap<>();

        await().atMost(timeout()).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            advanceTime(leaseTtl().dividedBy(4));
            store.renewLease(alive, leaseTtl());
            record(store.expireLeases(), reported);
            assertThat(reported).containsKeys(room("one"), room("two"));
        });

        assertThat(store.onlineUsers(room("one"))).isEmpty();
        assertThat(store.onlineUsers(room("two"))).containsExactly(user("alan"));
        assertThat(store.onlineUsers(room("three"))).containsExactly(user("alan"));
        record(store.expireLeases(), reported);
        assertThat(reported)
                .as("rooms reported by expireLeases, with how often")
                .containsOnlyKeys(room("one"), room("two"))
                .allSatisfy((room, count) ->
                        assertThat(count.get()).as("reports of %s", room).isEqualTo(1));
    }

    @Test
    void concurrentExpiryReportsEachRoomOnce() {
        PresenceStore storeA = store();
        PresenceStore storeB = store();
        String dead = node("dead");
        storeA.renewLease(dead, leaseTtl());
        List<String> rooms = IntStream.range(0, 10).mapToObj(i -> room("r" + i)).toList();
        for (int i = 0; i < rooms.size(); i++) {
            storeA.join(dead, conn("c" + i), user("u" + i), rooms.get(i));
        }
        Map<String, AtomicInteger> reported = new ConcurrentHashMap<>();

        await().atMost(timeout()).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            advanceTime(leaseTtl().dividedBy(4));
            List<KitSupport.Outcome<Set<String>>> outcomes =
                    KitSupport.runConcurrently(4, timeout(), i -> (i % 2 == 0 ? storeA : storeB)::expireLeases);
            for (KitSupport.Outcome<Set<String>> outcome : outcomes) {
                assertThat(outcome.failure()).as("expireLeases failure").isNull();
                record(outcome.value(), reported);
            }
            assertThat(reported).containsKeys(rooms.toArray(String[]::new));
        });

        assertThat(reported)
                .allSatisfy((room, count) ->
                        assertThat(count.get()).as("reports of %s", room).isEqualTo(1));
        rooms.forEach(room ->
                assertThat(storeB.onlineUsers(room)).as("online in %s", room).isEmpty());
    }

    @Test
    void concurrentJoinsLoseNothing() {
        PresenceStore store = store();
        String node = node("a");
        String room = room("busy");
        store.renewLease(node, timeout());
        int threads = 4;
        int perThread = 25;

        List<KitSupport.Outcome<Void>> outcomes = KitSupport.runConcurrently(threads, timeout(), t -> () -> {
            for (int i = 0; i < perThread; i++) {
                store.join(node, conn(t + "-" + i), user("u" + t + "-" + i), room);
                store.join(node, conn(t + "-" + i), user("u" + t + "-" + i), room("other"));
            }
            return null;
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(store.onlineUsers(room))
                .hasSize(threads * perThread)
                .doesNotHaveDuplicates()
                .isSorted();
        assertThat(store.onlineUsers(room("other"))).hasSize(threads * perThread);
        assertThat(store.removeNode(node)).containsExactlyInAnyOrder(room, room("other"));
    }

    // ---- helpers: names unique to this test

    protected final String node(String name) {
        return prefix() + "node-" + name;
    }

    protected final String conn(String name) {
        return prefix() + "conn-" + name;
    }

    protected final String user(String name) {
        return prefix() + name + "@example.com";
    }

    protected final String room(String name) {
        return prefix() + name;
    }

    /** Counts the rooms of this test in an expireLeases result; other tests' rooms are ignored. */
    private void record(Set<String> rooms, Map<String, AtomicInteger> reported) {
        assertThat(rooms).as("expireLeases result").isNotNull();
        rooms.stream().filter(r -> r.startsWith(prefix())).forEach(r -> reported.computeIfAbsent(
                        r, k -> new AtomicInteger())
                .incrementAndGet());
    }
}
