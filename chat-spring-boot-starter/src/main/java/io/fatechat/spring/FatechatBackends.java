package io.fatechat.spring;

import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * What the starter refuses at startup and the one line it logs naming every backend in use. The refusals turn a
 * silent fallback (a configured backend whose module is missing, a shared bus with node-local presence) into an
 * error that names the dependency or the key to add.
 */
public final class FatechatBackends {

    /** What a starter with no configuration does; the same words are in the README and docs/configuration.md. */
    public static final String EMBEDDED_DEFAULT = "with no configuration, users, rooms and history live in the H2 file "
            + "./data/fatechat when chat-mysql and H2 are on the class path, and in memory (lost on restart) when "
            + "either is missing; the message bus and presence are in memory (one node)";

    /** chat-mysql's {@code JdbcStoreConfig.DEFAULT_H2_URL}, which this class must not load (chat-mysql is optional). */
    static final String DEFAULT_H2_URL =
            "jdbc:h2:file:./data/fatechat;MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";

    private FatechatBackends() {}

    /** Refuses a Spring Boot line the starter is not built and tested for. */
    public static void checkSpringBootVersion(String version) {
        if (version == null) {
            return; // a repackaged jar without a manifest version: nothing to check
        }
        String[] parts = version.split("[.-]");
        int major = parse(parts[0]);
        int minor = parts.length > 1 ? parse(parts[1]) : 0;
        if (major < 3 || (major == 3 && minor < 5)) {
            throw new IllegalStateException("Fatechat's Spring Boot starter supports Spring Boot 3.5.x and 4.0.x "
                    + "(Tomcat or Jetty); this application runs Spring Boot " + version);
        }
    }

    /** Checks {@link SpringBootVersion#getVersion()}. */
    static void checkSpringBootVersion() {
        checkSpringBootVersion(SpringBootVersion.getVersion());
    }

    /** Refuses a configured backend whose module or JDBC driver is not on the class path, naming what to add. */
    public static void checkModulesPresent(Environment env, ClassLoader loader) {
        List<String> missing = new ArrayList<>();
        if (isSet(env, "fatechat.kafka.bootstrap-servers") && !present("io.fatechat.kafka.KafkaMessageBus", loader)) {
            missing.add("fatechat.kafka.bootstrap-servers is set but chat-kafka is not on the class path: "
                    + "add the dependency io.fatechat:chat-kafka");
        }
        if (isSet(env, "fatechat.redis.url") && !present("io.fatechat.redis.RedisPresenceStore", loader)) {
            missing.add("fatechat.redis.url is set but chat-redis is not on the class path: "
                    + "add the dependency io.fatechat:chat-redis");
        }
        if (isSet(env, "fatechat.jdbc.url")) {
            if (!present("io.fatechat.mysql.JdbcChatStores", loader)) {
                missing.add("fatechat.jdbc.url is set but chat-mysql is not on the class path: "
                        + "add the dependency io.fatechat:chat-mysql");
            }
            String url = env.getProperty("fatechat.jdbc.url", "").trim().toLowerCase(Locale.ROOT);
            String driverMissing = url.startsWith("jdbc:mysql:") && !present("com.mysql.cj.jdbc.Driver", loader)
                    ? "com.mysql:mysql-connector-j"
                    : url.startsWith("jdbc:mariadb:") && !present("org.mariadb.jdbc.Driver", loader)
                            ? "org.mariadb.jdbc:mariadb-java-client"
                            : url.startsWith("jdbc:h2:") && !present("org.h2.Driver", loader)
                                    ? "com.h2database:h2"
                                    : null;
            if (driverMissing != null) {
                missing.add("fatechat.jdbc.url names a database whose JDBC driver is not on the class path: "
                        + "add the dependency " + driverMissing);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Fatechat cannot start: " + String.join("; ", missing));
        }
    }

    /** Refuses a bus shared between nodes with presence kept per node: online users would differ per node. */
    public static void checkPresenceIsShared(MessageBus bus, PresenceStore presence) {
        if (!(bus instanceof InMemoryMessageBus) && presence instanceof InMemoryPresenceStore) {
            throw new IllegalStateException(
                    "Fatechat cannot start: the message bus (" + bus.getClass().getSimpleName()
                            + ") is shared between nodes but presence is in memory, so each node would list only its own "
                            + "online users. Set fatechat.redis.url (with io.fatechat:chat-redis) or define a PresenceStore "
                            + "bean that every node shares");
        }
    }

    /**
     * The one startup line naming every backend in use, e.g. {@code Fatechat backends: bus=in-memory (this node
     * only), presence=in-memory (this node only), users/rooms/history=H2 file ./data/fatechat}.
     */
    public static String describe(MessageBus bus, PresenceStore presence, UserStore users, Environment env) {
        return describe(bus, presence, users, env, null);
    }

    /** As {@link #describe(MessageBus, PresenceStore, UserStore, Environment)}, naming the JDBC stores' database. */
    public static String describe(
            MessageBus bus, PresenceStore presence, UserStore users, Environment env, FatechatJdbcDatabase jdbc) {
        String jdbcUrl = env.getProperty("fatechat.jdbc.url", DEFAULT_H2_URL);
        return "Fatechat backends: bus="
                + label(
                        bus,
                        "in-memory (this node only)",
                        "Kafka " + env.getProperty("fatechat.kafka.bootstrap-servers", ""))
                + ", presence="
                + label(
                        presence,
                        "in-memory (this node only)",
                        "Redis " + env.getProperty("fatechat.redis.url", "").replaceAll("//[^@/]*@", "//"))
                + ", users/rooms/history="
                + (users.getClass().getName().startsWith("io.fatechat.mysql.")
                        ? (jdbc != null ? jdbc.label() : jdbcLabel(jdbcUrl))
                        : label(users, "in-memory (lost on restart)", null));
    }

    private static String label(Object bean, String inMemory, String backend) {
        String name = bean.getClass().getName();
        if (bean.getClass().getSimpleName().startsWith("InMemory")) {
            return inMemory;
        }
        if (backend != null && (name.startsWith("io.fatechat.kafka.") || name.startsWith("io.fatechat.redis."))) {
            return backend.trim();
        }
        return "host bean " + name;
    }

    /** The database without credentials: an H2 file's path, or the server's host and database. */
    static String jdbcLabel(String url) {
        if (url.regionMatches(true, 0, "jdbc:h2:file:", 0, 13)) {
            return "H2 file " + url.substring(13).split(";", 2)[0];
        }
        if (url.regionMatches(true, 0, "jdbc:h2:mem:", 0, 12)) {
            return "H2 in memory";
        }
        String noParameters = url.replaceAll("[?;].*$", "").replaceAll("//[^@/]*@", "//");
        return noParameters.startsWith("jdbc:") ? noParameters.substring(5) : noParameters;
    }

    private static boolean isSet(Environment env, String key) {
        String value = env.getProperty(key);
        return value != null && !value.isBlank();
    }

    private static boolean present(String className, ClassLoader loader) {
        return ClassUtils.isPresent(className, loader);
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
