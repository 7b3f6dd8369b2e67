package io.fatechat.testing;

import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The services of the integration tests, chosen by {@link ServiceSelection} once per test JVM and shared by its
 * test classes (each class keeps apart by its own database, key prefix or topics). A container is started on first
 * use and removed by Testcontainers when the JVM ends.
 *
 * <table>
 * <caption>Variables and defaults</caption>
 * <tr><th>service</th><th>variables</th><th>container</th><th>local default</th></tr>
 * <tr><td>Redis</td><td>FATECHAT_TEST_REDIS_URL</td><td>{@value #REDIS_IMAGE}</td><td>redis://127.0.0.1:6379</td></tr>
 * <tr><td>MariaDB</td><td>FATECHAT_TEST_MYSQL_URL, _USER, _PASSWORD</td><td>{@value #MARIADB_IMAGE}</td>
 *     <td>jdbc:mysql://127.0.0.1:3306, root, no password</td></tr>
 * <tr><td>MySQL 8</td><td>FATECHAT_TEST_MYSQL8_URL, _USER, _PASSWORD</td><td>{@value #MYSQL8_IMAGE}</td>
 *     <td>none: these tests are skipped without Docker or an address</td></tr>
 * <tr><td>Kafka</td><td>FATECHAT_TEST_KAFKA_BOOTSTRAP_SERVERS</td><td>{@value #KAFKA_IMAGE}</td>
 *     <td>a KRaft broker inside the test JVM</td></tr>
 * </table>
 */
public final class TestServices {

    public static final String REDIS_IMAGE = "redis:7.4-alpine";
    public static final String MARIADB_IMAGE = "mariadb:10.11";
    public static final String MYSQL8_IMAGE = "mysql:8.4";
    public static final String KAFKA_IMAGE = "apache/kafka:4.3.1";

    /*
     * The variables carry FATECHAT_TEST_: a plain FATECHAT_REDIS_URL would also be bound by Spring Boot's relaxed
     * binding as fatechat.redis.url and switch Redis on in every starter context of the same test run.
     */
    public static final String REDIS_URL_VARIABLE = "FATECHAT_TEST_REDIS_URL";
    public static final String MYSQL_URL_VARIABLE = "FATECHAT_TEST_MYSQL_URL";
    public static final String MYSQL8_URL_VARIABLE = "FATECHAT_TEST_MYSQL8_URL";
    public static final String KAFKA_BOOTSTRAP_SERVERS_VARIABLE = "FATECHAT_TEST_KAFKA_BOOTSTRAP_SERVERS";

    private static final Logger log = LoggerFactory.getLogger(TestServices.class);
    private static final String LOCAL_REDIS = "redis://127.0.0.1:6379";
    private static final String LOCAL_MYSQL = "jdbc:mysql://127.0.0.1:3306";
    private static final String CONTAINER_PASSWORD = "fatechat-test";

    private static final Lazy<String> REDIS = new Lazy<>(TestServices::startRedis);
    private static final Lazy<JdbcServer> MARIADB = new Lazy<>(TestServices::startMariaDb);
    private static final Lazy<Optional<JdbcServer>> MYSQL8 = new Lazy<>(TestServices::startMySql8);
    private static final Lazy<Optional<String>> KAFKA = new Lazy<>(TestServices::startKafka);

    private TestServices() {}

    /** The Redis URL, e.g. {@code redis://127.0.0.1:6379}; fails (or skips, see {@link ServiceChoice}) without one. */
    public static String redisUrl() {
        return REDIS.get();
    }

    /** A MariaDB server; fails (or skips) without one. */
    public static JdbcServer mariaDb() {
        return MARIADB.get();
    }

    /** A MySQL 8 server, where Docker is or FATECHAT_TEST_MYSQL8_URL is set; empty otherwise (the caller skips). */
    public static Optional<JdbcServer> mySql8() {
        return MYSQL8.get();
    }

    /** Why {@link #mySql8()} is empty, for the skip message. */
    public static String mySql8Missing() {
        return "MySQL 8 runs where a Docker engine is present or FATECHAT_TEST_MYSQL8_URL (with _USER, _PASSWORD) is set";
    }

    /**
     * The bootstrap servers of a configured broker or a broker container; empty when the tests should start a
     * KRaft broker in their own JVM (no address set, no Docker).
     */
    public static Optional<String> kafkaBootstrapServers() {
        return KAFKA.get();
    }

    private static String startRedis() {
        ServiceChoice choice =
                choose("Redis", REDIS_URL_VARIABLE, LOCAL_REDIS, () -> TcpPort.accepts("127.0.0.1", 6379));
        if (choice.source() == ServiceChoice.Source.CONTAINER) {
            GenericContainer<?> redis =
                    new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE)).withExposedPorts(6379);
            redis.start();
            return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
        }
        return choice.address();
    }

    private static JdbcServer startMariaDb() {
        ServiceChoice choice =
                choose("MariaDB", MYSQL_URL_VARIABLE, LOCAL_MYSQL, () -> TcpPort.accepts("127.0.0.1", 3306));
        if (choice.source() == ServiceChoice.Source.CONTAINER) {
            MariaDBContainer mariaDb = new MariaDBContainer(DockerImageName.parse(MARIADB_IMAGE))
                    .withUsername("root")
                    .withPassword(CONTAINER_PASSWORD);
            mariaDb.start();
            return new JdbcServer(
                    serverUrl(mariaDb.getHost(), mariaDb.getMappedPort(3306)),
                    "root",
                    CONTAINER_PASSWORD,
                    "MariaDB (container " + MARIADB_IMAGE + ")");
        }
        return new JdbcServer(
                choice.address(),
                env("FATECHAT_TEST_MYSQL_USER", "root"),
                env("FATECHAT_TEST_MYSQL_PASSWORD", ""),
                "MariaDB (" + choice.source().name().toLowerCase(java.util.Locale.ROOT) + ")");
    }

    private static Optional<JdbcServer> startMySql8() {
        // No local default: the machines without Docker run MariaDB only.
        ServiceChoice choice = ServiceSelection.choose(
                "MySQL 8",
                MYSQL8_URL_VARIABLE,
                System.getenv(MYSQL8_URL_VARIABLE),
                DockerEngine::isAvailable,
                "(no local MySQL 8)",
                () -> false);
        log.info("{}", choice);
        if (!choice.available()) {
            return Optional.empty();
        }
        if (choice.source() == ServiceChoice.Source.CONTAINER) {
            MySQLContainer mySql = new MySQLContainer(DockerImageName.parse(MYSQL8_IMAGE))
                    .withUsername("root")
                    .withPassword(CONTAINER_PASSWORD);
            mySql.start();
            return Optional.of(new JdbcServer(
                    serverUrl(mySql.getHost(), mySql.getMappedPort(3306)),
                    "root",
                    CONTAINER_PASSWORD,
                    "MySQL 8 (container " + MYSQL8_IMAGE + ")"));
        }
        return Optional.of(new JdbcServer(
                choice.address(),
                env("FATECHAT_TEST_MYSQL8_USER", "root"),
                env("FATECHAT_TEST_MYSQL8_PASSWORD", ""),
                "MySQL 8 (configured)"));
    }

    private static Optional<String> startKafka() {
        // The local fallback, a broker in the test JVM, is always there.
        ServiceChoice choice =
                choose("Kafka", KAFKA_BOOTSTRAP_SERVERS_VARIABLE, "(a KRaft broker in the test JVM)", () -> true);
        return switch (choice.source()) {
            case CONFIGURED -> Optional.of(choice.address());
            case CONTAINER -> {
                KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
                kafka.start();
                yield Optional.of(kafka.getBootstrapServers());
            }
            case LOCAL -> Optional.empty();
        };
    }

    private static ServiceChoice choose(
            String service, String variable, String local, java.util.function.BooleanSupplier up) {
        ServiceChoice choice = ServiceSelection.choose(
                service, variable, System.getenv(variable), DockerEngine::isAvailable, local, up);
        log.info("{}", choice);
        return choice.requireAvailable();
    }

    private static String serverUrl(String host, int port) {
        return "jdbc:mysql://" + host + ":" + port;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** A value computed once, on first use, by the first caller; a failure is thrown again to every caller. */
    private static final class Lazy<T> {
        private final Supplier<T> supplier;
        private T value;
        private RuntimeException failure;

        Lazy(Supplier<T> supplier) {
            this.supplier = supplier;
        }

        synchronized T get() {
            if (failure != null) {
                throw failure;
            }
            if (value == null) {
                try {
                    value = supplier.get();
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return value;
        }
    }
}
