package io.fatechat.spring;

import io.fatechat.spring.health.FatechatHealthAutoConfiguration;
import io.fatechat.spring.metrics.FatechatBackendMetricsAutoConfiguration;
import io.fatechat.spring.metrics.FatechatMetricsAutoConfiguration;
import java.util.UUID;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The context runner every auto-configuration test starts from: the starter's non-web auto-configurations. */
public final class StarterRunners {

    private StarterRunners() {}

    /**
     * The starter with H2 hidden, so that nothing falls back to the embedded default's H2 file under ./data; a
     * test that sets its own class loader hides H2 with {@link #hiding(String...)}.
     */
    public static ApplicationContextRunner starter() {
        return withH2().withClassLoader(hiding());
    }

    /** A class loader without H2 and without the given packages. */
    public static FilteredClassLoader hiding(String... packages) {
        String[] hidden = new String[packages.length + 1];
        hidden[0] = "org.h2";
        System.arraycopy(packages, 0, hidden, 1, packages.length);
        return new FilteredClassLoader(hidden);
    }

    /** The starter with H2 visible: the JDBC stores use the embedded default unless fatechat.jdbc.url is set. */
    public static ApplicationContextRunner withH2() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        FatechatKafkaAutoConfiguration.class,
                        FatechatRedisAutoConfiguration.class,
                        FatechatJdbcAutoConfiguration.class,
                        FatechatInMemoryAutoConfiguration.class,
                        FatechatEngineAutoConfiguration.class,
                        FatechatMetricsAutoConfiguration.class,
                        FatechatBackendMetricsAutoConfiguration.class,
                        FatechatHealthAutoConfiguration.class))
                .withPropertyValues(
                        "fatechat.auth.bcrypt-cost=4",
                        "fatechat.auth.token-secret=auto-configuration-test-secret-32-bytes!");
    }

    /** A private in-memory H2 database in the MySQL mode the JDBC stores need. */
    public static String h2Url() {
        return "jdbc:h2:mem:autoconf-" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    }
}
