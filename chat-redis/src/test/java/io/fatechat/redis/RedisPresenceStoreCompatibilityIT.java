package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fatechat.redis.internal.LuaScript;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.PresenceStore;
import io.fatechat.tck.PresenceStoreCompatibilityKit;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The presence kit against the real Redis, plus what only a Redis store has: keys, implicit leases, resync. */
class RedisPresenceStoreCompatibilityIT extends PresenceStoreCompatibilityKit {

    @RegisterExtension
    static final RedisStoreFixture REDIS =
            RedisStoreFixture.withPrefix("presence", b -> b.leaseTtl(Duration.ofSeconds(1)));

    @Override
    protected PresenceStore newStore() {
        return new RedisPresenceStore(REDIS.config());
    }

    @Test
    void allKeysLiveUnderThePrefixAndNoneOutliveTheirEntries() {
        PresenceStore store = store();
        String node = node("keys");
        store.renewLease(node, Duration.ofMinutes(1));
        store.join(node, conn("k1"), user("alice"), room("k-one"));
        store.join(node, conn("k1"), user("alice"), room("k-two"));
        store.join(node, conn("k2"), user("bob"), room("k-two"));

        assertThat(REDIS.commands().keys("*" + conn("k1") + "*"))
                .allMatch(k -> k.startsWith(REDIS.keyPrefix()))
                .hasSize(2);
        store.leave(conn("k2"), room("k-two"));
        store.leaveAll(conn("k1"));

        assertThat(REDIS.commands().keys("*" + prefixOfThisTest() + "*"))
                .as("keys left behind")
                .isEmpty();
        assertThat(REDIS.commands().zscore(REDIS.keyPrefix() + "presence:leases", node))
                .isNotNull();
        store.removeNode(node);
        assertThat(REDIS.commands().zscore(REDIS.keyPrefix() + "presence:leases", node))
                .isNull();
    }

    @Test
    void aNodeThatDiesBeforeItsFirstRenewalStillExpires() {
        PresenceStore store = store();
        String node = node("never-renewed");
        store.join(node, conn("n1"), user("nina"), room("implicit"));
        assertThat(store.onlineUsers(room("implicit"))).containsExactly(user("nina"));

        // REDIS.config() gives an implicit lease of 1 s
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    store.expireLeases();
                    assertThat(store.onlineUsers(room("implicit"))).isEmpty();
                });
    }

    @Test
    void nodeDeathWithoutCleanupIsSeenByTheOtherNode() {
        // node A's store is closed without removeNode, as a kill -9 would leave it: only the lease can tell
        PresenceStore storeA = newStore();
        PresenceStore storeB = store();
        String nodeA = node("a");
        String nodeB = node("b");
        storeA.renewLease(nodeA, Duration.ofSeconds(1));
        storeB.renewLease(nodeB, Duration.ofMinutes(1));
        storeA.join(nodeA, conn("a1"), user("alice"), room("shared"));
        storeB.join(nodeB, conn("b1"), user("bob"), room("shared"));
        assertThat(storeB.onlineUsers(room("shared"))).containsExactly(user("alice"), user("bob"));
        storeA.close();

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    Set<String> changed = storeB.expireLeases();
                    assertThat(storeB.onlineUsers(room("shared"))).containsExactly(user("bob"));
                    assertThat(changed).contains(room("shared"));
                });
    }

    @Test
    void usersOfALapsedLeaseAreOfflineEvenBeforeTheyAreReaped() {
        PresenceStore store = store();
        String node = node("lapsing");
        String room = room("lapse");
        store.renewLease(node, Duration.ofMillis(300));
        store.join(node, conn("l1"), user("lara"), room);
        store.join(node("other"), conn("o1"), user("otto"), room);

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(store.onlineUsers(room)).containsExactly(user("otto")));

        assertThat(REDIS.commands().hexists(REDIS.keyPrefix() + "presence:room:" + room, conn("l1")))
                .as("not reaped yet")
                .isTrue();
        assertThat(store.expireLeases()).contains(room);
        assertThat(REDIS.commands().hexists(REDIS.keyPrefix() + "presence:room:" + room, conn("l1")))
                .isFalse();
    }

    @Test
    void aLiveNodeWhoseLeaseLapsedComesBackWithItsConnectionsAtItsNextRenewal() {
        PresenceStore store = store();
        String node = node("paused");
        String room = room("pause");
        store.renewLease(node, Duration.ofMillis(300));
        store.join(node, conn("p1"), user("paula"), room);

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> store.expireLeases().contains(room));
        assertThat(store.onlineUsers(room)).isEmpty();

        store.renewLease(node, Duration.ofMinutes(1)); // the pause is over

        assertThat(store.onlineUsers(room)).containsExactly(user("paula"));
        assertThat(store.leaveAll(conn("p1"))).containsExactly(room);
    }

    @Test
    void aNodeRewritesItsPresenceWhenRedisLostIt() {
        PresenceStore store = store();
        String node = node("resync");
        store.renewLease(node, Duration.ofMinutes(1));
        store.join(node, conn("r1"), user("rita"), room("lost"));
        store.join(node, conn("r2"), user("sam"), room("lost"));
        store.leave(conn("r2"), room("lost"));

        // what a Redis restart without persistence does to this node's data
        List<String> keys = REDIS.commands().keys(REDIS.keyPrefix() + "presence:*");
        REDIS.commands().del(keys.toArray(String[]::new));
        assertThat(store.onlineUsers(room("lost"))).isEmpty();

        store.renewLease(node, Duration.ofMinutes(1));

        assertThat(store.onlineUsers(room("lost"))).containsExactly(user("rita"));
        assertThat(store.leaveAll(conn("r1"))).containsExactly(room("lost"));
    }

    @Test
    void closedStoreRefusesAndUnreachableRedisFailsFast() {
        PresenceStore closed = newStore();
        closed.close();
        assertThatThrownBy(() -> closed.onlineUsers(room("x"))).isInstanceOf(ClosedException.class);

        // nothing listens on port 1: the store still starts, and every call fails fast with the named backend
        PresenceStore unreachable = new RedisPresenceStore(REDIS.unreachableConfig());
        try {
            assertThatThrownBy(() -> unreachable.join(node("x"), conn("x"), user("x"), room("x")))
                    .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.backend())
                            .isEqualTo("redis"));
            assertThatThrownBy(() -> unreachable.onlineUsers(room("x")))
                    .isInstanceOf(BackendUnavailableException.class);
        } finally {
            unreachable.close();
        }
    }

    @Test
    void scriptDigestsMatchRedisSoEvalshaHitsTheScriptCache() {
        for (String name : List.of(
                "presence-join",
                "presence-leave",
                "presence-leave-all",
                "presence-renew",
                "presence-remove-nodes",
                "presence-resync",
                "presence-online",
                "recent-read",
                "recent-add")) {
            LuaScript script = LuaScript.load(name);
            assertThat(REDIS.commands().scriptLoad(script.body())).as(name).isEqualTo(script.sha1());
        }
    }

    @Test
    void renewLeaseRejectsANonPositiveTtl() {
        assertThatThrownBy(() -> store().renewLease(node("x"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
    }

    /** The kit's per-test prefix, recovered from a name the kit makes. */
    private String prefixOfThisTest() {
        String n = node("");
        return n.substring(0, n.length() - "node-".length());
    }
}
