package io.fatechat.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.AckPoint;
import io.fatechat.core.ChatConnection;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatLimits;
import io.fatechat.core.SendReceipt;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ack = durable on the embedded default (in-memory bus, H2 file): proven against a real crash, {@code kill -9} of
 * a process that streams messages, and against a store whose commit is held.
 */
class H2DurableAckIT {

    private static final ChatLimits UNLIMITED = ChatLimits.builder()
            .messagesPerSecond(1_000_000)
            .messageBurst(1_000_000)
            .build();

    @TempDir
    Path dir;

    @Test
    void killMinus9MidStreamLosesNoAckedMessageAndResentClientIdsAreStoredOnce() throws Exception {
        String url = JdbcStoreConfig.h2FileUrl(dir.resolve("crash").toString());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process node = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashingChatNode.class.getName(),
                        url)
                .redirectError(dir.resolve("node.log").toFile())
                .start();
        Map<String, String> acked = new ConcurrentHashMap<>();
        CountDownLatch drained = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    String[] ack = line.split(" ");
                    if (ack.length == 3 && ack[0].equals("ACK")) {
                        acked.put(ack[1], ack[2]);
                    }
                }
            } catch (java.io.IOException e) {
                // the process died mid-line: what was read is what was acknowledged
            } finally {
                drained.countDown();
            }
        });
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(120))
                    .failFast("the node died: " + dir.resolve("node.log"), () -> !node.isAlive())
                    .until(() -> acked.size() >= 1_000);
        } finally {
            node.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
            node.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(drained.await(30, TimeUnit.SECONDS)).isTrue();
        int highest = acked.keySet().stream()
                .mapToInt(c -> Integer.parseInt(c.substring(1)))
                .max()
                .orElseThrow();

        try (JdbcChatStores stores =
                JdbcChatStores.start(JdbcStoreConfig.builder(url).build())) {
            HistoryStore history = stores.history();
            Map<String, String> storedIds = all(history, ConversationId.room(CrashingChatNode.ROOM)).stream()
                    .filter(m -> m.clientId() != null)
                    .collect(Collectors.toMap(m -> asSent(m.clientId()), ChatMessage::id, (first, second) -> first));
            Map<String, String> lost = new LinkedHashMap<>();
            acked.forEach((clientId, id) -> {
                if (!id.equals(storedIds.get(clientId))) {
                    lost.put(clientId, id);
                }
            });
            assertThat(lost)
                    .as("acked before kill -9 (%d acks, highest c%d) but not stored", acked.size(), highest)
                    .isEmpty();

            // The clients re-send everything they sent, acked or not: originals come back, the rest is stored once.
            ChatEngine engine = ChatEngine.builder()
                    .userStore(stores.users())
                    .roomStore(stores.rooms())
                    .historyStore(history)
                    .bcryptCost(4)
                    .limits(UNLIMITED)
                    .build();
            try (engine) {
                assertThat(engine.ackPoint()).isEqualTo(AckPoint.HISTORY);
                ChatConnection connection = engine.connect(CrashingChatNode.USER);
                connection.joinRoom(CrashingChatNode.ROOM);
                List<CompletableFuture<SendReceipt>> resent = new ArrayList<>();
                for (int i = 0; i <= highest + 64; i++) {
                    resent.add(connection
                            .sendMessage(CrashingChatNode.ROOM, "message " + i, "c" + i)
                            .toCompletableFuture());
                }
                for (int i = 0; i <= highest + 64; i++) {
                    SendReceipt receipt = resent.get(i).get(60, TimeUnit.SECONDS);
                    String original = acked.get("c" + i);
                    if (original != null) {
                        assertThat(receipt.duplicate()).as("c%d was acked", i).isTrue();
                        assertThat(receipt.id()).as("c%d", i).isEqualTo(original);
                    }
                }
            }
            Map<String, Long> copies = all(history, ConversationId.room(CrashingChatNode.ROOM)).stream()
                    .filter(m -> m.clientId() != null)
                    .collect(Collectors.groupingBy(m -> asSent(m.clientId()), Collectors.counting()));
            for (int i = 0; i <= highest + 64; i++) {
                assertThat(copies.get("c" + i)).as("copies of c%d", i).isEqualTo(1L);
            }
        }
    }

    @Test
    void onH2ASendIsAckedOnlyOnceItsCommitIsDoneAndSurvivesAReopen() throws Exception {
        String url = JdbcStoreConfig.h2FileUrl(dir.resolve("held").toString());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        SendReceipt ack;
        try (JdbcChatStores stores =
                JdbcChatStores.start(JdbcStoreConfig.builder(url).build())) {
            HistoryStore heldStore = new HeldHistoryStore(stores.history(), held, release);
            try (ChatEngine engine = ChatEngine.builder()
                    .userStore(stores.users())
                    .roomStore(stores.rooms())
                    .historyStore(heldStore)
                    .bcryptCost(4)
                    .limits(UNLIMITED)
                    .build()) {
                engine.createRoom("ann@example.com", "lobby");
                ChatConnection ann = engine.connect("ann@example.com");
                ann.joinRoom("lobby");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> stores.history()
                                        .page(ConversationId.room("lobby"), null, 10)
                                        .size()
                                == 1); // the join event message

                CompletableFuture<SendReceipt> receipt =
                        ann.sendMessage("lobby", "hello", "h1").toCompletableFuture();
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(receipt).as("no ack while the commit is held").isNotDone();
                assertThat(sentWith(stores.history(), ConversationId.room("lobby"), "h1"))
                        .isEmpty();

                release.countDown();
                ack = receipt.get(10, TimeUnit.SECONDS);
            }
        }
        try (JdbcChatStores reopened =
                JdbcChatStores.start(JdbcStoreConfig.builder(url).build())) {
            assertThat(sentWith(reopened.history(), ConversationId.room("lobby"), "h1"))
                    .get()
                    .extracting(ChatMessage::id)
                    .isEqualTo(ack.id());
        }
        assertThat(Files.exists(dir.resolve("held.mv.db"))).isTrue();
    }

    /** Holds the first append of a message with a client id until released. */
    private record HeldHistoryStore(HistoryStore delegate, CountDownLatch held, CountDownLatch release)
            implements HistoryStore {

        @Override
        public void append(List<ChatMessage> batch) {
            if (batch.stream().anyMatch(m -> m.clientId() != null)) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            delegate.append(batch);
        }

        @Override
        public List<ChatMessage> page(ConversationId conversation, String beforeId, int limit) {
            return delegate.page(conversation, beforeId, limit);
        }

        @Override
        public Optional<ChatMessage> findByClientId(String sender, String clientId) {
            return delegate.findByClientId(sender, clientId);
        }
    }

    /** The client id as its client sent it: the engine stores it scoped to its conversation ({@code id#scope}). */
    private static String asSent(String storedClientId) {
        int scope = storedClientId.lastIndexOf('#');
        return scope < 0 ? storedClientId : storedClientId.substring(0, scope);
    }

    /** The message stored in {@code conversation} for a client id as its client sent it, if any. */
    private static Optional<ChatMessage> sentWith(HistoryStore store, ConversationId conversation, String clientId) {
        return all(store, conversation).stream()
                .filter(m -> m.clientId() != null && asSent(m.clientId()).equals(clientId))
                .findFirst();
    }

    private static List<ChatMessage> all(HistoryStore store, ConversationId conversation) {
        List<ChatMessage> all = new ArrayList<>();
        String before = null;
        while (true) {
            List<ChatMessage> page = store.page(conversation, before, 1000);
            all.addAll(page);
            if (page.size() < 1000) {
                return all;
            }
            before = page.get(page.size() - 1).id();
        }
    }
}
