package io.fatechat.core;

import static io.fatechat.core.TestEngines.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.internal.TokenSigner;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.InvalidTokenException;
import io.fatechat.spi.RateLimitedException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 12 in the engine: flooding joins and typing, client ids across conversations, tokens and revocation. */
class AbuseHardeningTest {

    private static final String PASSWORD = "password-1";
    private final MutableClock clock = new MutableClock();
    private ChatEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    // ---- row 2: joins, leaves and typing are rated per user; a flooder is cut off ----

    @Test
    void aJoinLeaveFloodIsRefusedThenTheConnectionIsCutOff() {
        engine = TestEngines.builder()
                .clock(clock)
                .limits(ChatLimits.builder()
                        .actionsPerSecond(2)
                        .actionBurst(4)
                        .violationsBeforeDisconnect(3)
                        .build())
                .build();
        DisconnectSink sink = new DisconnectSink();
        engine.attach(sink);
        engine.register("flood@example.com", PASSWORD);
        engine.createRoom("flood@example.com", "target");
        ChatConnection flooder = engine.connect("flood@example.com");

        // 4 actions of burst: join, leave, join, leave
        for (int i = 0; i < 2; i++) {
            flooder.joinRoom("target");
            flooder.leave("target");
        }
        // refused, and counted: 3 refusals are forgiven in a burst, the 4th cuts the connection off
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> flooder.joinRoom("target"))
                    .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.limit())
                            .isEqualTo("actionsPerSecond"));
        }
        assertThat(sink.disconnected).isEmpty();
        assertThatThrownBy(() -> flooder.joinRoom("target")).isInstanceOf(RateLimitedException.class);

        assertThat(sink.disconnected).containsEntry(flooder.id(), "rate_limited");
        assertThatThrownBy(() -> flooder.joinRoom("target")).isInstanceOf(ClosedException.class);
    }

    @Test
    void theRateIsPerUserAcrossConnectionsAndRefills() {
        engine = TestEngines.builder()
                .clock(clock)
                .limits(ChatLimits.builder().actionsPerSecond(1).actionBurst(2).build())
                .build();
        engine.register("tabs@example.com", PASSWORD);
        engine.createRoom("tabs@example.com", "a");
        engine.createRoom("tabs@example.com", "b");
        engine.createRoom("tabs@example.com", "c");
        ChatConnection first = engine.connect("tabs@example.com");
        ChatConnection second = engine.connect("tabs@example.com");
        first.joinRoom("a");
        second.joinRoom("b");
        assertThatThrownBy(() -> first.joinRoom("c")).isInstanceOf(RateLimitedException.class);

        clock.advance(Duration.ofSeconds(1));
        first.joinRoom("c");
    }

    @Test
    void typingOverTheRateIsDroppedAndCountsTowardsTheCutOff() {
        engine = TestEngines.builder()
                .clock(clock)
                .limits(ChatLimits.builder()
                        .actionsPerSecond(1)
                        .actionBurst(2)
                        .violationsBeforeDisconnect(2)
                        .build())
                .build();
        DisconnectSink sink = new DisconnectSink();
        engine.attach(sink);
        engine.register("typist@example.com", PASSWORD);
        engine.createRoom("typist@example.com", "keys");
        ChatConnection typist = engine.connect("typist@example.com");
        typist.joinRoom("keys"); // one action
        typist.typing("keys"); // two
        typist.typing("keys"); // dropped, forgiven
        typist.typing("keys"); // dropped, forgiven
        assertThat(sink.disconnected).isEmpty();

        typist.typing("keys");

        assertThat(sink.disconnected).containsEntry(typist.id(), "rate_limited");
    }

    // ---- row 4: a client id is unique per conversation ----

    @Test
    void aClientIdReusedInAnotherConversationIsANewMessageThereAndIsStored() {
        engine = TestEngines.builder().build();
        RecordingSink sink = new RecordingSink();
        engine.attach(sink);
        engine.register("ann@example.com", PASSWORD);
        engine.register("ben@example.com", PASSWORD);
        engine.createRoom("ann@example.com", "lobby");
        try (ChatConnection ann = engine.connect("ann@example.com")) {
            ann.joinRoom("lobby");
            SendReceipt inRoom = await(ann.sendMessage("lobby", "hello room", "c-1"));

            SendReceipt direct = await(ann.sendPrivateMessage("ben@example.com", "hello ben", "c-1"));

            assertThat(direct.duplicate()).isFalse();
            assertThat(direct.id()).isNotEqualTo(inRoom.id());
            await().until(() ->
                    sink.privateMessages.stream().anyMatch(m -> m.text().equals("hello ben")));
            await().until(() -> engine.privateHistory("ann@example.com", "ben@example.com", null, 10).stream()
                    .anyMatch(m -> m.text().equals("hello ben")));
            // a re-send to the same conversation is still the same message
            SendReceipt again = await(ann.sendPrivateMessage("ben@example.com", "hello ben", "c-1"));
            assertThat(again.duplicate()).isTrue();
            assertThat(again.id()).isEqualTo(direct.id());
        }
    }

    // ---- row 5: tokens of unknown users, logout, revocation on every node, secret rotation ----

    @Test
    void aTokenForAUserWhoDoesNotExistIsRefused() {
        engine = TestEngines.builder().build();
        String forged =
                new TokenSigner(TestEngines.SECRET, Duration.ofHours(1), Clock.systemUTC()).issue("ghost@example.com");

        assertThatThrownBy(() -> engine.authenticate(forged))
                .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason())
                        .isEqualTo(InvalidTokenException.Reason.INVALID));
    }

    @Test
    void logoutRevokesEveryTokenAndClosesTheUsersConnectionsOnEveryNode() {
        InMemoryMessageBus bus = new InMemoryMessageBus();
        InMemoryUserStore users = new InMemoryUserStore();
        InMemoryPresenceStore presence = new InMemoryPresenceStore();
        engine = TestEngines.builder()
                .clock(clock)
                .messageBus(bus)
                .userStore(users)
                .presenceStore(presence)
                .nodeId("a")
                .build();
        try (ChatEngine other = TestEngines.builder()
                .clock(clock)
                .messageBus(bus)
                .userStore(users)
                .presenceStore(presence)
                .nodeId("b")
                .build()) {
            DisconnectSink sinkB = new DisconnectSink();
            other.attach(sinkB);
            String first = engine.register("leaver@example.com", PASSWORD);
            clock.advance(Duration.ofSeconds(1));
            String second = engine.login("leaver@example.com", PASSWORD);
            clock.advance(Duration.ofSeconds(1));
            ChatConnection onB = other.connect(other.authenticate(second));

            engine.logout(first);

            assertThatThrownBy(() -> engine.authenticate(second))
                    .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason())
                            .isEqualTo(InvalidTokenException.Reason.REVOKED));
            await().untilAsserted(() -> assertThat(sinkB.disconnected).containsEntry(onB.id(), "unauthorized"));
            assertThatThrownBy(() -> other.authenticate(first)).isInstanceOf(InvalidTokenException.class);
            // logging in again gives a token that works
            clock.advance(Duration.ofSeconds(1));
            assertThat(other.authenticate(engine.login("leaver@example.com", PASSWORD)))
                    .isEqualTo("leaver@example.com");
        }
    }

    @Test
    void aNodeStartedAfterARevocationRefusesTheRevokedToken() {
        InMemoryUserStore users = new InMemoryUserStore();
        String revoked;
        try (ChatEngine before =
                TestEngines.builder().clock(clock).userStore(users).nodeId("a").build()) {
            revoked = before.register("gone@example.com", PASSWORD);
            clock.advance(Duration.ofSeconds(1));
            before.logout(revoked);
        }
        // its own bus: it never saw the revocation event, only the store has it
        engine = TestEngines.builder().clock(clock).userStore(users).nodeId("b").build();

        assertThatThrownBy(() -> engine.authenticate(revoked))
                .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason())
                        .isEqualTo(InvalidTokenException.Reason.REVOKED));
    }

    @Test
    void aRevocationOutlivesMoreRevokingUsersThanTheCacheHolds() {
        int capacity = 3;
        engine = TestEngines.builder().clock(clock).userCacheCapacity(capacity).build();
        String first = engine.register("first@example.com", PASSWORD);
        clock.advance(Duration.ofSeconds(1));
        engine.logout(first);
        for (int i = 0; i < capacity * 2; i++) {
            String token = engine.register("later" + i + "@example.com", PASSWORD);
            clock.advance(Duration.ofSeconds(1));
            engine.logout(token);
        }

        assertThatThrownBy(() -> engine.authenticate(first))
                .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason())
                        .isEqualTo(InvalidTokenException.Reason.REVOKED));
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.authenticate(engine.login("first@example.com", PASSWORD)))
                .isEqualTo("first@example.com");
    }

    @Test
    void tokensSignedWithAPreviousSecretStillVerifyAfterARotation() {
        String oldSecret = "the secret before the rotation, 32+ bytes";
        String newSecret = "the secret after the rotation, also 32+ bytes";
        InMemoryUserStore users = new InMemoryUserStore();
        String token;
        try (ChatEngine before = ChatEngine.builder()
                .bcryptCost(4)
                .userStore(users)
                .tokenSecret(oldSecret)
                .build()) {
            token = before.register("kept@example.com", PASSWORD);
        }
        engine = ChatEngine.builder()
                .bcryptCost(4)
                .userStore(users)
                .tokenSecret(newSecret)
                .previousTokenSecrets(List.of(oldSecret))
                .build();

        assertThat(engine.authenticate(token)).isEqualTo("kept@example.com");
        try (ChatEngine forgot = ChatEngine.builder()
                .bcryptCost(4)
                .userStore(users)
                .tokenSecret(newSecret)
                .build()) {
            assertThatThrownBy(() -> forgot.authenticate(token)).isInstanceOf(InvalidTokenException.class);
        }
        assertThatThrownBy(() -> ChatEngine.builder().previousTokenSecrets(List.of("short")))
                .hasMessageContaining("previousTokenSecrets");
    }

    /** Records the connections the engine asked its transport to cut off. */
    private static final class DisconnectSink implements ChatEventSink {
        final Map<String, String> disconnected = new ConcurrentHashMap<>();

        @Override
        public void disconnect(String connectionId, String reason) {
            disconnected.put(connectionId, reason);
        }

        @Override
        public void roomMessage(io.fatechat.spi.ChatMessage message) {}

        @Override
        public void privateMessage(io.fatechat.spi.ChatMessage message) {}

        @Override
        public void onlineUsers(String room, List<String> users) {}

        @Override
        public void typing(String room, String user, String originConnectionId) {}
    }
}
