package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A storm of joins into one big room is announced in a few {@code onlineUsers} lists spaced by the room's size,
 * not one list per join, and the last list still names every member (issue 19).
 */
class AnnouncementSpacingTest {

    private final RecordingSink sink = new RecordingSink();
    private final ChatEngine engine = TestEngines.builder().build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void theSpacingGrowsWithTheRoomUpToTheCap() {
        assertThat(PresenceKeeper.announcementSpacingNanos(0)).isZero();
        assertThat(PresenceKeeper.announcementSpacingNanos(10))
                .isEqualTo(Duration.ofMillis(10).toNanos());
        assertThat(PresenceKeeper.announcementSpacingNanos(100_000))
                .isEqualTo(PresenceKeeper.MAX_ANNOUNCEMENT_SPACING.toNanos());
    }

    @Test
    void aStormOfJoinsIntoOneRoomIsAnnouncedInFewListsTheLastNamingEveryone() {
        engine.attach(sink);
        engine.createRoom("owner@x.io", "Big");
        int users = 300;
        List<String> expected = new ArrayList<>();
        List<ChatConnection> connections = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String user = String.format("u%03d@x.io", i);
            expected.add(user);
            connections.add(engine.connect(user));
        }

        for (ChatConnection c : connections) {
            c.joinRoom("Big");
        }

        await().atMost(20, TimeUnit.SECONDS).until(() -> expected.equals(sink.lastOnlineUsers("Big")));
        long lists =
                sink.onlineUsers.stream().filter(o -> o.room().equals("Big")).count();
        assertThat(lists).as("onlineUsers lists for %d joins", users).isLessThan(users / 3);
    }
}
