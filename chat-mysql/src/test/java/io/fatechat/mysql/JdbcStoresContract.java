package io.fatechat.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.f4b6a3.uuid.UuidCreator;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fatechat.core.ChatEngine;
import io.fatechat.mysql.internal.SchemaMigrator;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.EmailTakenException;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.InvalidTokenException;
import io.fatechat.spi.Room;
import io.fatechat.spi.RoomExistsException;
import io.fatechat.spi.User;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC stores promise beyond the SPI kits, run against each supported database by a subclass: utf8mb4
 * round trips, schema migration under concurrent starts, column limits, closing.
 */
abstract class JdbcStoresContract {

    /** Every script we could think of, plus emoji (4-byte UTF-8) and combining marks. */
    static final String ALL_SCRIPTS = "Grüße, Привет, 你好, こんにちは, 안녕하세요, مرحبا, שלום, नमस्ते, สวัสดี, Γειά σου,"
            + " 😀🎉👩‍👩‍👧‍👦🏳️‍🌈, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, é = e\u0301";

    static final String SCRIPTS_NAME = "Grüße Привет 你好 こんにちは 안녕하세요 مرحبا שלום नमस्ते 😀";

    TestDatabase database;
    JdbcChatStores stores;

    abstract TestDatabase newDatabase();

    @BeforeEach
    void openStores() {
        database = newDatabase();
        stores = JdbcChatStores.start(database.config().build());
    }

    @AfterEach
    void closeStores() {
        if (stores != null) {
            stores.close();
        }
        if (database != null) {
            database.close();
        }
    }

    static ChatMessage message(ConversationId conversation, String sender, String text, String clientId) {
        return new ChatMessage(
                UuidCreator.getTimeOrderedEpoch().toString(),
                conversation,
                sender,
                text,
                false,
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                clientId);
    }

    @Test
    void aTokenRevokedOnOneEngineIsRefusedByAnEngineStartedAfterwards() {
        String secret = "a test secret of at least 32 bytes!!";
        String email = "leaver-" + UUID.randomUUID() + "@example.com";
        String revoked;
        try (ChatEngine a = ChatEngine.builder()
                .bcryptCost(4)
                .tokenSecret(secret)
                .userStore(stores.users())
                .nodeId("a")
                .build()) {
            revoked = a.register(email, "password-1");
            a.logout(revoked);
            assertThatThrownBy(() -> a.authenticate(revoked)).isInstanceOf(InvalidTokenException.class);
        }
        // a new node on its own stores and bus: only the database can tell it about the revocation
        try (JdbcChatStores restarted = JdbcChatStores.start(database.config().build());
                ChatEngine b = ChatEngine.builder()
                        .bcryptCost(4)
                        .tokenSecret(secret)
                        .userStore(restarted.users())
                        .nodeId("b")
                        .build()) {
            assertThatThrownBy(() -> b.authenticate(revoked))
                    .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason())
                            .isEqualTo(InvalidTokenException.Reason.REVOKED));
            assertThat(restarted.users().findByEmail(email).orElseThrow().tokensRevokedBefore())
                    .isNotNull();
        }
    }

    @Test
    void usersAreUniqueByEmailIgnoringCaseAndKeepTheirHash() {
        User ann = new User(
                "Ann@Example.com", "$2a$10$abcdefghijklmnopqrstuv", Instant.parse("2024-03-10T02:30:00.123456Z"));
        assertThat(stores.users().create(ann)).isEqualTo(ann);

        assertThat(stores.users().findByEmail("ann@example.COM")).contains(ann);
        assertThatThrownBy(() -> stores.users().create(new User("ANN@example.com", "$2a$10$x", Instant.now())))
                .isInstanceOf(EmailTakenException.class)
                .hasMessageContaining("ANN@example.com");
        assertThat(stores.users().findByEmail("bob@example.com")).isEmpty();
    }

    @Test
    void unicodeEmailsRoundTrip() {
        User user = new User("用户😀@例子.广告", "hash", Instant.parse("2020-01-01T00:00:00Z"));
        stores.users().create(user);
        assertThat(stores.users().findByEmail("用户😀@例子.广告")).contains(user);
    }

    @Test
    void concurrentRegistrationsOfOneEmailLetExactlyOneWin() throws Exception {
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String email = (i % 2 == 0 ? "race@example.com" : "RACE@example.com");
            attempts.add(() -> {
                try {
                    stores.users().create(new User(email, "hash", Instant.now()));
                    return true;
                } catch (EmailTakenException e) {
                    return false;
                }
            });
        }
        assertThat(runTogether(attempts)).containsOnlyOnce(true);
    }

    @Test
    void roomsAreUniqueByNameIgnoringCaseAndListOldestFirst() {
        Room general = stores.rooms().create("General");
        Room scripts = stores.rooms().create(SCRIPTS_NAME);
        Room emoji = stores.rooms().create("🎉 party");

        assertThat(general.id()).isPositive();
        assertThat(stores.rooms().findByName("GENERAL")).contains(general);
        assertThat(stores.rooms().findById(scripts.id())).contains(scripts);
        assertThat(stores.rooms().findByName("🎉 PARTY")).contains(emoji);
        assertThat(stores.rooms().findById(emoji.id() + 1000)).isEmpty();
        assertThat(stores.rooms().list()).containsExactly(general, scripts, emoji);
        assertThatThrownBy(() -> stores.rooms().create("general"))
                .isInstanceOf(RoomExistsException.class)
                .hasMessageContaining("general");
        assertThat(stores.rooms().list()).hasSize(3);
    }

    @Test
    void concurrentRoomCreationsOfOneNameLetExactlyOneWin() throws Exception {
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = i % 2 == 0 ? "Lobby" : "LOBBY";
            attempts.add(() -> {
                try {
                    stores.rooms().create(name);
                    return true;
                } catch (RoomExistsException e) {
                    return false;
                }
            });
        }
        assertThat(runTogether(attempts)).containsOnlyOnce(true);
        assertThat(stores.rooms().list()).hasSize(1);
    }

    @Test
    void roomNamesLongerThanTheColumnAreRefusedByName() {
        assertThatThrownBy(() -> stores.rooms().create("x".repeat(JdbcRoomStore.MAX_NAME_LENGTH + 1)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThat(stores.rooms()
                        .create("x".repeat(JdbcRoomStore.MAX_NAME_LENGTH))
                        .name())
                .hasSize(JdbcRoomStore.MAX_NAME_LENGTH);
    }

    @Test
    void everyScriptAndEmojiRoundTripsThroughHistory() {
        ConversationId room = ConversationId.room("🌍 world");
        ChatMessage message = message(room, "ann@example.com", ALL_SCRIPTS, "c-😀");
        stores.history().append(List.of(message));

        assertThat(stores.history().page(room, null, 10)).containsExactly(message);
        assertThat(stores.history().findByClientId("ann@example.com", "c-😀")).contains(message);
    }

    @Test
    void pagesRunNewestFirstWithABeforeCursor() {
        ConversationId room = ConversationId.room("paging");
        List<ChatMessage> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            sent.add(message(room, "ann@example.com", "m" + i, null));
        }
        stores.history().append(sent);
        stores.history().append(List.of(message(ConversationId.room("other"), "ann@example.com", "elsewhere", null)));

        List<ChatMessage> newestFirst = new ArrayList<>(sent);
        Collections.reverse(newestFirst);
        List<ChatMessage> first = stores.history().page(room, null, 10);
        List<ChatMessage> second = stores.history().page(room, first.get(9).id(), 10);
        List<ChatMessage> third = stores.history().page(room, second.get(9).id(), 10);

        assertThat(first).containsExactlyElementsOf(newestFirst.subList(0, 10));
        assertThat(second).containsExactlyElementsOf(newestFirst.subList(10, 20));
        assertThat(third).containsExactlyElementsOf(newestFirst.subList(20, 25));
        assertThat(stores.history().page(room, third.get(4).id(), 10)).isEmpty();
        assertThat(stores.history().recent(room, 3)).containsExactlyElementsOf(newestFirst.subList(0, 3));
        assertThat(stores.history().page(room, null, 0)).isEmpty();
        assertThatThrownBy(() -> stores.history().page(room, null, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redeliveredBatchesAndReSentClientIdsAreStoredOnce() {
        ConversationId room = ConversationId.room("dedup");
        ChatMessage a = message(room, "ann@example.com", "a", "client-1");
        ChatMessage b = message(room, "bob@example.com", "b", "client-1");
        ChatMessage c = message(room, "bob@example.com", "c", null);
        stores.history().append(List.of(a, b, c));
        // the bus redelivers the batch, and Ann re-sends "a" under a new id (with her e-mail in another case)
        ChatMessage resent = message(room, "ANN@example.com", "a again", "client-1");
        stores.history().append(List.of(a, b, c, resent, c));

        assertThat(stores.history().page(room, null, 10)).containsExactly(c, b, a);
        assertThat(stores.history().findByClientId("ann@example.com", "client-1"))
                .contains(a);
        assertThat(stores.history().findByClientId("Ann@Example.com", "client-1"))
                .contains(a);
        assertThat(stores.history().findByClientId("bob@example.com", "client-1"))
                .contains(b);
        assertThat(stores.history().findByClientId("bob@example.com", "other")).isEmpty();
        assertThat(stores.history().findByClientId("bob@example.com", null)).isEmpty();
    }

    @Test
    void privateConversationsAreReachedOnlyThroughTheirMembersKey() {
        ConversationId annBob = ConversationId.direct("ann@example.com", "bob@example.com");
        ConversationId annCid = ConversationId.direct("ann@example.com", "cid@example.com");
        ChatMessage secret = message(annBob, "ann@example.com", "for Bob only", null);
        stores.history().append(List.of(secret, message(annCid, "cid@example.com", "hi Ann", null)));

        assertThat(stores.history().page(ConversationId.direct("BOB@example.com", "ann@example.com"), null, 10))
                .containsExactly(secret);
        assertThat(stores.history().page(annCid, null, 10))
                .extracting(ChatMessage::text)
                .containsExactly("hi Ann");
        assertThat(stores.history().page(ConversationId.room("ann@example.com bob@example.com"), null, 10))
                .isEmpty();
    }

    @Test
    void aBatchLargerThanOneStatementIsStoredWhole() {
        ConversationId room = ConversationId.room("big");
        List<ChatMessage> batch = new ArrayList<>();
        for (int i = 0; i < JdbcHistoryStore.ROWS_PER_STATEMENT * 2 + 17; i++) {
            batch.add(message(room, "ann@example.com", "m" + i, "c" + i));
        }
        stores.history().append(batch);
        stores.history().append(batch);

        assertThat(stores.history().page(room, null, batch.size() + 10))
                .hasSize(batch.size())
                .first()
                .isEqualTo(batch.get(batch.size() - 1));
    }

    @Test
    void aMessageTheColumnsCannotHoldFailsTheBatchByNameAndWritesNothing() {
        ConversationId room = ConversationId.room("limits");
        ChatMessage fine = message(room, "ann@example.com", "fine", null);
        ChatMessage tooLongClientId =
                message(room, "ann@example.com", "x", "c".repeat(JdbcHistoryStore.MAX_CLIENT_ID_LENGTH + 1));

        assertThatThrownBy(() -> stores.history().append(List.of(fine, tooLongClientId)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("clientId"));
        assertThat(stores.history().page(room, null, 10)).isEmpty();
    }

    @Test
    void closedStoresSaySo() {
        stores.close();
        assertThatThrownBy(() -> stores.users().findByEmail("ann@example.com")).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> stores.rooms().list()).isInstanceOf(ClosedException.class);
        assertThatThrownBy(
                        () -> stores.history().append(List.of(message(ConversationId.room("r"), "a@b.c", "t", null))))
                .isInstanceOf(ClosedException.class);
        assertThat(stores.isHealthy()).isFalse();
    }

    @Test
    void startingTwiceAtOnceOnAnEmptyDatabaseMigratesOnce() throws Exception {
        try (TestDatabase empty = database.sibling()) {
            JdbcStoreConfig config = empty.config().build();
            List<JdbcChatStores> started = runTogether(List.of(
                    () -> JdbcChatStores.start(config),
                    () -> JdbcChatStores.start(config),
                    () -> JdbcChatStores.start(config)));
            try {
                assertThat(started)
                        .extracting(JdbcChatStores::appliedMigrations)
                        .containsExactlyInAnyOrder(List.of(1, 2, 3, 4), List.of(), List.of());
                started.get(0).users().create(new User("ann@example.com", "h", Instant.now()));
                assertThat(started.get(1).users().findByEmail("ann@example.com"))
                        .isPresent();
                try (JdbcChatStores again = JdbcChatStores.start(config)) {
                    assertThat(again.appliedMigrations()).isEmpty();
                    assertThat(again.users().findByEmail("ann@example.com")).isPresent();
                }
            } finally {
                started.forEach(JdbcChatStores::close);
            }
        }
    }

    @Test
    void nodesOnTheirHostsOwnDataSourcesMigrateOnceAndLeaveThePoolsOpen() throws Exception {
        try (TestDatabase empty = database.sibling();
                HikariDataSource nodeA = hostPool(empty.config().build());
                HikariDataSource nodeB = hostPool(empty.config().build())) {
            JdbcStoreConfig settings = empty.config().build();
            List<JdbcChatStores> started = runTogether(
                    List.of(() -> JdbcChatStores.start(settings, nodeA), () -> JdbcChatStores.start(settings, nodeB)));
            try {
                assertThat(started)
                        .extracting(JdbcChatStores::appliedMigrations)
                        .containsExactlyInAnyOrder(
                                SchemaMigrator.MIGRATIONS.stream()
                                        .map(SchemaMigrator.Migration::version)
                                        .toList(),
                                List.of());
                assertThat(started).allSatisfy(s -> {
                    assertThat(s.ownsDataSource()).isFalse();
                    assertThat(s.isH2()).isEqualTo(settings.isH2());
                    assertThat(s.isHealthy()).isTrue();
                });
                assertThat(started.get(0).dataSource()).isSameAs(nodeA);
                started.get(0).users().create(new User("ann@example.com", "h", Instant.now()));
                assertThat(started.get(1).users().findByEmail("ann@example.com"))
                        .isPresent();
            } finally {
                started.forEach(JdbcChatStores::close);
            }
            assertThat(started.get(0).isHealthy()).isFalse();
            for (HikariDataSource pool : List.of(nodeA, nodeB)) {
                assertThat(pool.isClosed()).isFalse();
                try (Connection c = pool.getConnection();
                        Statement s = c.createStatement();
                        java.sql.ResultSet users =
                                s.executeQuery("SELECT COUNT(*) FROM " + settings.tablePrefix() + "users")) {
                    assertThat(users.next()).isTrue();
                    assertThat(users.getInt(1)).isEqualTo(1);
                }
            }
        }
    }

    /** A pool as a host application makes it, over the same database. */
    static HikariDataSource hostPool(JdbcStoreConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("host-" + java.util.UUID.randomUUID());
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.username());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(4);
        return new HikariDataSource(hikari);
    }

    @Test
    void aNodeWaitsForTheSchemaLockBeforeMigrating() throws Exception {
        try (TestDatabase empty = database.sibling()) {
            JdbcStoreConfig config = empty.config().build();
            try (Connection holder = java.sql.DriverManager.getConnection(
                    config.jdbcUrl(), config.username(), config.password() == null ? "" : config.password())) {
                try (Statement s = holder.createStatement()) {
                    for (String statement : SchemaMigrator.bootstrapStatements(config.tablePrefix())) {
                        s.execute(statement);
                    }
                }
                holder.setAutoCommit(false);
                try (Statement s = holder.createStatement()) {
                    // another node "migrating": it holds the lock row
                    s.executeQuery("SELECT version FROM " + config.tablePrefix()
                                    + "schema_version WHERE version = 0 FOR UPDATE")
                            .close();
                }
                CompletableFuture<JdbcChatStores> starting =
                        CompletableFuture.supplyAsync(() -> JdbcChatStores.start(config));
                try {
                    await().during(Duration.ofSeconds(1))
                            .atMost(Duration.ofSeconds(5))
                            .until(() -> !starting.isDone());
                    assertThat(tableExists(holder, config.tablePrefix() + "users"))
                            .as("migrated while locked")
                            .isFalse();
                    holder.rollback();
                    try (JdbcChatStores started = starting.get(60, TimeUnit.SECONDS)) {
                        assertThat(started.appliedMigrations()).containsExactly(1, 2, 3, 4);
                        assertThat(started.users().findByEmail("nobody@example.com"))
                                .isEmpty();
                    }
                } finally {
                    starting.thenAccept(JdbcChatStores::close);
                }
            }
        }
    }

    private static boolean tableExists(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
            return true;
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @Test
    void aSchemaMadeFromTheDbaScriptIsAcceptedWithoutMigrating() throws Exception {
        try (TestDatabase empty = database.sibling()) {
            assertThatThrownBy(() -> JdbcChatStores.start(
                            empty.config().migrateSchema(false).build()))
                    .isInstanceOf(JdbcStoreException.class);
            try (JdbcChatStores dba = JdbcChatStores.start(empty.config().build())) {
                // stands in for a DBA running the shipped script: the same statements, already applied
                assertThat(dba.appliedMigrations()).containsExactly(1, 2, 3, 4);
            }
            try (JdbcChatStores checked =
                    JdbcChatStores.start(empty.config().migrateSchema(false).build())) {
                assertThat(checked.appliedMigrations()).isEmpty();
                assertThat(checked.rooms().create("after DBA").id()).isPositive();
            }
        }
    }

    @Test
    void tablePrefixesKeepTwoDeploymentsApart() {
        try (JdbcChatStores other =
                JdbcChatStores.start(database.config().tablePrefix("other_").build())) {
            stores.rooms().create("shared name");
            assertThat(other.rooms().findByName("shared name")).isEmpty();
            assertThat(other.rooms().create("shared name").name()).isEqualTo("shared name");
        }
    }

    @Test
    void everyCallFailsFastWhileTheDatabaseIsUnreachable() throws Exception {
        try (TcpProxy proxy = new TcpProxy(database.serverPort());
                JdbcChatStores proxied =
                        JdbcChatStores.start(database.configVia(proxy).build())) {
            proxied.rooms().create("before");
            proxy.cut();

            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                assertUnavailable(() -> proxied.users().findByEmail("ann@example.com"));
                assertUnavailable(() -> proxied.users().create(new User("ann@example.com", "h", Instant.now())));
                assertUnavailable(() -> proxied.rooms().list());
                assertUnavailable(() -> proxied.rooms().create("during"));
                assertUnavailable(() -> proxied.history()
                        .append(List.of(message(ConversationId.room("r"), "ann@example.com", "t", null))));
                assertUnavailable(() -> proxied.history().page(ConversationId.room("r"), null, 10));
                assertThat(proxied.isHealthy()).isFalse();
            });

            proxy.restore();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(proxied::isHealthy);
            assertThat(proxied.rooms().list()).extracting(Room::name).containsExactly("before");
        }
    }

    @Test
    void startingWhileTheDatabaseIsUnreachableFailsFast() throws Exception {
        try (TcpProxy proxy = new TcpProxy(database.serverPort())) {
            proxy.cut();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
                            () -> JdbcChatStores.start(database.configVia(proxy).build()))
                    .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.backend())
                            .isEqualTo("jdbc")));
        }
    }

    static void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BackendUnavailableException.class, e -> {
            assertThat(e.backend()).isEqualTo("jdbc");
            assertThat(e.getMessage()).doesNotContainIgnoringCase("select").doesNotContainIgnoringCase("insert");
        });
    }

    /** Runs the tasks on their own threads, released at the same instant; their results in task order. */
    static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch ready = new CountDownLatch(tasks.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.call();
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static <T> Optional<T> none() {
        return Optional.empty();
    }
}
