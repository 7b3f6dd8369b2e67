package io.fatechat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.spi.RecoverySession;
import io.fatechat.spi.RecoverySessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@link RecoverySessionStore} contract as tests. A backend proves itself by extending this class and returning,
 * from {@link #newStore()}, stores that share one backend (two nodes recover each other's clients). Pids are unique
 * per test, so the kit can share a backend with other runs.
 */
public abstract class RecoverySessionStoreCompatibilityKit extends StoreCompatibilityKit<RecoverySessionStore> {

    private static final String OFFSET = "0190f5a4-0000-7000-8000-000000000000";
    private static final String LATER_OFFSET = "0190f5a4-0001-7000-8000-000000000000";

    private RecoverySession session(String name, Instant expiresAt) {
        Map<String, String> rooms = new LinkedHashMap<>();
        rooms.put("lobby", OFFSET);
        rooms.put("Café ☕ — \"quoted\" 'room' 漢字", LATER_OFFSET);
        return new RecoverySession(prefix() + name, prefix() + name + "@example.com", rooms, OFFSET, expiresAt);
    }

    private static Instant inAnHour() {
        return Instant.now().plus(Duration.ofHours(1));
    }

    @Test
    void aSavedSessionIsTakenWithEveryFieldOnAnotherNode() {
        RecoverySession saved = session("a", inAnHour());
        store().save(saved);

        Optional<RecoverySession> taken = store().take(saved.pid(), Instant.now());

        assertThat(taken).isPresent();
        assertThat(taken.get().pid()).isEqualTo(saved.pid());
        assertThat(taken.get().user()).isEqualTo(saved.user());
        assertThat(taken.get().offset()).isEqualTo(OFFSET);
        assertThat(taken.get().rooms()).containsExactlyInAnyOrderEntriesOf(saved.rooms());
        assertThat(taken.get().expiresAt()).isAfter(Instant.now());
    }

    @Test
    void aSessionIsTakenOnce() {
        RecoverySessionStore store = store();
        RecoverySession saved = session("once", inAnHour());
        store.save(saved);

        assertThat(store.take(saved.pid(), Instant.now())).isPresent();
        assertThat(store.take(saved.pid(), Instant.now())).isEmpty();
    }

    @Test
    void anUnknownPidHasNoSession() {
        assertThat(store().take(prefix() + "unknown", Instant.now())).isEmpty();
        store().remove(prefix() + "unknown"); // harmless
        store().extend(List.of(prefix() + "unknown"), inAnHour()); // harmless, and creates nothing
        assertThat(store().take(prefix() + "unknown", Instant.now())).isEmpty();
    }

    @Test
    void sessionsSavedTogetherAreEachTakenAndReplaceWhatWasThere() {
        RecoverySessionStore store = store();
        RecoverySession earlier = session("together-0", inAnHour());
        store.save(earlier);
        RecoverySession replacing = new RecoverySession(
                earlier.pid(), earlier.user(), Map.of("other", LATER_OFFSET), LATER_OFFSET, inAnHour());
        List<RecoverySession> together =
                List.of(replacing, session("together-1", inAnHour()), session("together-2", inAnHour()));

        store.saveAll(together);
        store.saveAll(List.of()); // harmless

        assertThat(store.take(earlier.pid(), Instant.now()).orElseThrow().rooms())
                .containsExactlyEntriesOf(Map.of("other", LATER_OFFSET));
        for (RecoverySession saved : together.subList(1, together.size())) {
            RecoverySession taken = store.take(saved.pid(), Instant.now()).orElseThrow();
            assertThat(taken.user()).isEqualTo(saved.user());
            assertThat(taken.rooms()).containsExactlyInAnyOrderEntriesOf(saved.rooms());
        }
    }

    @Test
    void savingAgainReplacesTheSession() {
        RecoverySessionStore store = store();
        RecoverySession first = session("replace", inAnHour());
        store.save(first);
        RecoverySession second =
                new RecoverySession(first.pid(), first.user(), Map.of("other", LATER_OFFSET), LATER_OFFSET, inAnHour());
        store.save(second);

        RecoverySession taken = store.take(first.pid(), Instant.now()).orElseThrow();
        assertThat(taken.rooms()).containsExactlyEntriesOf(Map.of("other", LATER_OFFSET));
        assertThat(taken.offset()).isEqualTo(LATER_OFFSET);
    }

    @Test
    void aSessionWithoutRoomsRoundTrips() {
        RecoverySession saved =
                new RecoverySession(prefix() + "empty", prefix() + "e@example.com", Map.of(), OFFSET, inAnHour());
        store().save(saved);

        assertThat(store().take(saved.pid(), Instant.now()).orElseThrow().rooms())
                .isEmpty();
    }

    @Test
    void removedSessionsAreGone() {
        RecoverySession saved = session("removed", inAnHour());
        store().save(saved);
        store().remove(saved.pid());

        assertThat(store().take(saved.pid(), Instant.now())).isEmpty();
    }

    @Test
    void anExpiredSessionIsNotRecoverable() {
        RecoverySessionStore store = store();
        RecoverySession past = session("past", Instant.now().minusSeconds(1));
        RecoverySession later = session("later", Instant.now().plusSeconds(30));
        store.save(past);
        store.save(later);

        assertThat(store.take(past.pid(), Instant.now())).isEmpty();
        assertThat(store.take(later.pid(), later.expiresAt().plusMillis(1)))
                .as("taken after its expiry")
                .isEmpty();
    }

    @Test
    void purgingKeepsLiveSessions() {
        RecoverySessionStore store = store();
        RecoverySession live = session("live", inAnHour());
        store.save(live);

        store.purgeExpired(Instant.now());

        assertThat(store.take(live.pid(), Instant.now())).isPresent();
    }

    @Test
    void sessionsExpireOnTheirOwn() {
        RecoverySessionStore store = store();
        RecoverySession saved = session("ttl", Instant.now().plusMillis(200));
        store.save(saved);

        // a take after the expiry finds nothing, whether the backend dropped the record or the take refused it
        await().atMost(timeout()).until(() -> Instant.now().isAfter(saved.expiresAt()));
        store.purgeExpired(Instant.now());
        assertThat(store.take(saved.pid(), Instant.now())).isEmpty();
    }

    @Test
    void extendMovesTheExpiry() {
        RecoverySessionStore store = store();
        RecoverySession kept = session("kept", Instant.now().plusSeconds(30));
        RecoverySession ended = session("ended", inAnHour());
        store.save(kept);
        store.save(ended);

        store.extend(List.of(kept.pid()), inAnHour());
        store.extend(List.of(ended.pid()), Instant.now().minusSeconds(1));

        assertThat(store.take(kept.pid(), Instant.now().plusSeconds(60))).isPresent();
        assertThat(store.take(ended.pid(), Instant.now())).isEmpty();
    }

    /** A node refreshes every live socket's record at once: thousands of pids in one call. */
    @Test
    void extendReachesEveryPidOfALargeBatch() {
        RecoverySessionStore store = store();
        List<RecoverySession> many = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            many.add(session("many-" + i, Instant.now().plusSeconds(30)));
        }
        store.saveAll(many);

        store.extend(many.stream().map(RecoverySession::pid).toList(), inAnHour());

        for (int i : new int[] {0, 999, 1_000, 1_999, 2_000, 2_499}) {
            assertThat(store.take(many.get(i).pid(), Instant.now().plusSeconds(60)))
                    .as("session %d of %d, kept past its old expiry", i, many.size())
                    .isPresent();
        }
    }

    @Test
    void concurrentFirstSavesOfOnePidAllSucceedAndOneSessionRemains() {
        RecoverySession base = session("concurrent-save", inAnHour());
        List<RecoverySessionStore> nodes = List.of(store(), store(), store(), store());

        List<KitSupport.Outcome<Boolean>> outcomes = KitSupport.runConcurrently(8, timeout(), i -> () -> {
            nodes.get(i % nodes.size())
                    .save(new RecoverySession(
                            base.pid(), base.user(), Map.of("room" + i, LATER_OFFSET), base.offset(), inAnHour()));
            return true;
        });

        assertThat(outcomes).allMatch(KitSupport.Outcome::succeeded);
        RecoverySession taken = store().take(base.pid(), Instant.now()).orElseThrow();
        assertThat(taken.rooms()).hasSize(1);
        assertThat(taken.rooms().keySet().iterator().next()).matches("room[0-7]");
        assertThat(store().take(base.pid(), Instant.now())).isEmpty();
    }

    @Test
    void ofNodesRacingForOnePidExactlyOneRecoversIt() {
        RecoverySession saved = session("race", inAnHour());
        store().save(saved);
        List<RecoverySessionStore> nodes = List.of(store(), store(), store(), store());

        List<KitSupport.Outcome<Boolean>> outcomes = KitSupport.runConcurrently(
                8,
                timeout(),
                i -> () -> nodes.get(i % nodes.size())
                        .take(saved.pid(), Instant.now())
                        .isPresent());

        assertThat(outcomes).allMatch(KitSupport.Outcome::succeeded);
        assertThat(outcomes.stream().filter(KitSupport.Outcome::value).count()).isEqualTo(1);
    }
}
