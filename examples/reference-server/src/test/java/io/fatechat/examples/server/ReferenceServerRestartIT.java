package io.fatechat.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.core.ChatEngine;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Room;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded default keeps users, rooms and history in an H2 file: all of it is there after a restart. */
class ReferenceServerRestartIT {

    @TempDir
    Path dir;

    @Test
    void usersRoomsAndHistorySurviveARestart() throws Exception {
        String[] args = {
            "--server.port=0",
            "--fatechat.jdbc.url=jdbc:h2:file:" + dir.resolve("fatechat").toAbsolutePath()
                    + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE",
            "--fatechat.auth.bcrypt-cost=4",
            "--fatechat.auth.token-secret=restart-test-secret-of-at-least-32-bytes",
            "--management.health.diskspace.enabled=false"
        };
        long roomId;
        try (ConfigurableApplicationContext first = SpringApplication.run(ReferenceServer.class, args)) {
            ChatEngine engine = first.getBean(ChatEngine.class);
            engine.register("keep@example.com", "keep-password");
            Room room = engine.createRoom("keep@example.com", "durable");
            roomId = room.id();
            try (var connection = engine.connect("keep@example.com")) {
                connection.joinRoom("durable");
                connection
                        .sendMessage("durable", "still here after a restart", null)
                        .toCompletableFuture()
                        .join();
            }
            org.awaitility.Awaitility.await()
                    .until(() -> engine.roomHistory("keep@example.com", room.id(), null, 10).stream()
                            .anyMatch(m -> m.text().equals("still here after a restart")));
        }
        try (ConfigurableApplicationContext second = SpringApplication.run(ReferenceServer.class, args)) {
            ChatEngine engine = second.getBean(ChatEngine.class);
            String token = engine.login("keep@example.com", "keep-password");
            assertThat(engine.authenticate(token)).isEqualTo("keep@example.com");
            assertThat(engine.rooms()).extracting(Room::name).contains("durable");
            assertThat(engine.roomHistory("keep@example.com", roomId, null, 10))
                    .extracting(ChatMessage::text)
                    .contains("still here after a restart");
        }
    }
}
