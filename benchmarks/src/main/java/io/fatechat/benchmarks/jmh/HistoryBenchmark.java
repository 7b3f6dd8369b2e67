package io.fatechat.benchmarks.jmh;

import com.github.f4b6a3.uuid.UuidCreator;
import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.mysql.JdbcHistoryStore;
import io.fatechat.mysql.JdbcStoreConfig;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link JdbcHistoryStore}: append a batch of 100 messages (what the persister writes per poll) and read the
 * newest 50 of a room holding 2,000. {@code h2} is in-process (in memory, MySQL mode); {@code mariadb} is the
 * server at {@code FATECHAT_TEST_MYSQL_URL} (default 127.0.0.1:3306/test, root, empty password) under a table
 * prefix of its own, dropped afterwards. A database that cannot be reached fails only its own runs.
 */
@State(Scope.Benchmark)
public class HistoryBenchmark extends SampledBenchmark {

    private static final int BATCH = 100;

    @Param({"h2", "mariadb"})
    public String database;

    private JdbcChatStores stores;
    private JdbcHistoryStore history;
    private String prefix;
    private final ConversationId readRoom = ConversationId.room("read-room");
    private final ConversationId writeRoom = ConversationId.room("write-room");

    @Setup(Level.Trial)
    public void setUp() {
        prefix = "jmh_" + UUID.randomUUID().toString().substring(0, 8) + "_";
        JdbcStoreConfig config = database.equals("h2")
                ? JdbcStoreConfig.builder(
                                "jdbc:h2:mem:" + prefix + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1")
                        .tablePrefix(prefix)
                        .build()
                : JdbcStoreConfig.builder(System.getenv()
                                .getOrDefault("FATECHAT_TEST_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/test"))
                        .username("root")
                        .password("")
                        .tablePrefix(prefix)
                        .build();
        stores = JdbcChatStores.start(config);
        history = stores.history();
        for (int i = 0; i < 2_000 / BATCH; i++) {
            history.append(batch(readRoom));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (stores == null) {
            return;
        }
        if (database.equals("mariadb")) {
            List<String> tables = new ArrayList<>();
            try (Connection c = stores.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables "
                        + "WHERE table_schema = DATABASE() AND table_name LIKE '" + prefix + "%'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String table : tables) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
        stores.close();
    }

    private static List<ChatMessage> batch(ConversationId room) {
        List<ChatMessage> batch = new ArrayList<>(BATCH);
        Instant now = Instant.now();
        for (int i = 0; i < BATCH; i++) {
            batch.add(new ChatMessage(
                    UuidCreator.getTimeOrderedEpoch().toString(),
                    room,
                    "u" + i + "@bench.local",
                    "hello from jmh, message " + i,
                    false,
                    now,
                    null));
        }
        return batch;
    }

    @Benchmark
    public int appendBatch() {
        List<ChatMessage> batch = batch(writeRoom);
        history.append(batch);
        return batch.size();
    }

    @Benchmark
    public List<ChatMessage> recent50() {
        return history.page(readRoom, null, 50);
    }
}
