package io.fatechat.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.core.MutableClock;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.Room;
import io.fatechat.spi.RoomExistsException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the in-memory stores promise beyond their kits. */
class InMemoryStoresTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void entriesOfANodeWithoutALeaseNeverExpireButGoWithTheNode() {
        MutableClock clock = new MutableClock(START);
        InMemoryPresenceStore store = new InMemoryPresenceStore(clock);
        store.join("n1", "c1", "alice@example.com", "lobby");

        clock.advance(Duration.ofDays(1));

        assertThat(store.expireLeases()).isEmpty();
        assertThat(store.onlineUsers("lobby")).containsExactly("alice@example.com");
        assertThat(store.removeNode("n1")).containsExactly("lobby");
    }

    @Test
    void leaseLapsesExactlyAtItsEnd() {
        MutableClock clock = new MutableClock(START);
        InMemoryPresenceStore store = new InMemoryPresenceStore(clock);
        store.renewLease("n1", Duration.ofSeconds(10));
        store.join("n1", "c1", "alice@example.com", "lobby");

        clock.advance(Duration.ofMillis(9_999));
        assertThat(store.expireLeases()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(store.expireLeases()).containsExactly("lobby");
    }

    @Test
    void shorterRenewalDoesNotShortenALease() {
        MutableClock clock = new MutableClock(START);
        InMemoryPresenceStore store = new InMemoryPresenceStore(clock);
        store.renewLease("n1", Duration.ofSeconds(30));
        store.renewLease("n1", Duration.ofSeconds(1));
        store.join("n1", "c1", "alice@example.com", "lobby");

        clock.advance(Duration.ofSeconds(10));

        assertThat(store.expireLeases()).isEmpty();
    }

    @Test
    void nonPositiveTtlIsRefused() {
        InMemoryPresenceStore store = new InMemoryPresenceStore();

        assertThatThrownBy(() -> store.renewLease("n1", Duration.ZERO))
                .hasMessageContaining("ttl")
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> store.renewLease("n1", Duration.ofSeconds(-1))).hasMessageContaining("ttl");
    }

    @Test
    void connectionIdReusedByAnotherUserReplacesTheOldEntry() {
        InMemoryPresenceStore store = new InMemoryPresenceStore();
        store.join("n1", "c1", "alice@example.com", "lobby");
        store.join("n2", "c1", "bob@example.com", "games");

        assertThat(store.onlineUsers("lobby")).isEmpty();
        assertThat(store.onlineUsers("games")).containsExactly("bob@example.com");
        assertThat(store.removeNode("n1")).isEmpty();
        assertThat(store.removeNode("n2")).containsExactly("games");
    }

    @Test
    void historyRefusesANegativeLimitAndAnswersZeroWithNothing() {
        InMemoryHistoryStore store = new InMemoryHistoryStore();
        ConversationId lobby = ConversationId.room("lobby");
        store.append(List.of(new ChatMessage(
                "0190a4b2-0000-7000-8000-000000000001", lobby, "a@example.com", "hi", false, START, null)));

        assertThat(store.page(lobby, null, 0)).isEmpty();
        assertThatThrownBy(() -> store.page(lobby, null, -1))
                .hasMessageContaining("limit")
                .hasMessageContaining("-1");
    }

    @Test
    void historyMatchesClientIdsWhateverTheCaseOfTheSender() {
        InMemoryHistoryStore store = new InMemoryHistoryStore();
        ChatMessage message = new ChatMessage(
                "0190a4b2-0000-7000-8000-000000000001",
                ConversationId.room("lobby"),
                "alice@example.com",
                "hi",
                false,
                START,
                "c-1");
        store.append(List.of(message));

        assertThat(store.findByClientId("Alice@Example.com", "c-1")).contains(message);
    }

    @Test
    void roomIdsCountUpFromOneAndARefusedCreateUsesNone() {
        MutableClock clock = new MutableClock(START);
        InMemoryRoomStore store = new InMemoryRoomStore(clock);

        Room lobby = store.create("lobby");
        assertThatThrownBy(() -> store.create("LOBBY")).isInstanceOf(RoomExistsException.class);
        clock.advance(Duration.ofSeconds(1));
        Room games = store.create("games");

        assertThat(lobby.id()).isEqualTo(1);
        assertThat(lobby.createdAt()).isEqualTo(START);
        assertThat(games.id()).isEqualTo(2);
        assertThat(games.createdAt()).isEqualTo(START.plusSeconds(1));
        assertThat(store.list()).containsExactly(lobby, games);
    }
}
