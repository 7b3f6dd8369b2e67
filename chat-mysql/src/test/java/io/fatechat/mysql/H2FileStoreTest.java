package io.fatechat.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.Room;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: an H2 file in MySQL mode, in the recommended URL form, that survives a restart. */
class H2FileStoreTest {

    @TempDir
    Path dir;

    @Test
    void theRecommendedFileUrlCreatesItsDirectoryAndKeepsDataAcrossRestarts() {
        String url = JdbcStoreConfig.h2FileUrl(dir.resolve("data/fatechat").toString());
        ChatMessage message = JdbcStoresContract.message(
                ConversationId.room("lobby"), "ann@example.com", JdbcStoresContract.ALL_SCRIPTS, "c1");
        Room lobby;
        try (JdbcChatStores stores =
                JdbcChatStores.start(JdbcStoreConfig.builder(url).build())) {
            assertThat(stores.appliedMigrations()).containsExactly(1, 2, 3, 4);
            lobby = stores.rooms().create("lobby");
            stores.history().append(List.of(message));
        }
        assertThat(dir.resolve("data/fatechat.mv.db")).exists();

        try (JdbcChatStores restarted =
                JdbcChatStores.start(JdbcStoreConfig.builder(url).build())) {
            assertThat(restarted.appliedMigrations()).isEmpty();
            assertThat(restarted.rooms().list()).containsExactly(lobby);
            assertThat(restarted.history().page(ConversationId.room("lobby"), null, 10))
                    .containsExactly(message);
            assertThat(restarted.isHealthy()).isTrue();
        }
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheStartAsUnavailable() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        String url = JdbcStoreConfig.h2FileUrl(blocker.resolve("fatechat").toString());

        assertThatThrownBy(
                        () -> JdbcChatStores.start(JdbcStoreConfig.builder(url).build()))
                .isInstanceOf(BackendUnavailableException.class);
    }
}
