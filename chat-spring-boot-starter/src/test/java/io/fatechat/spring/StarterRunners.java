package io.fatechat.spring;

import java.util.UUID;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.fatechat.spring.health.FatechatHealthAutoConfiguration;
import io.fatechat.spring.metrics.FatechatMetricsAutoConfiguration;

/** The context runner every auto-configuration test starts from: the starter's non-web auto-configurations. */
public final class StarterRunners {

    private StarterRunners() {
    }

    public static ApplicationContextRunner starter() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FatechatKafkaAutoConfiguration.class,
                        FatechatRedisAutoConfiguration.class, FatechatJdbcAutoConfiguration.class,
                        FatechatInMemoryAutoConfiguration.class, FatechatEngineAutoConfiguration.class,
                        FatechatMetricsAutoConfiguration.class, FatechatHealthAutoConfiguration.class))
                .withPropertyValues("fatechat.auth.bcrypt-cost=4",
                        "fatechat.auth.token-secret=auto-configuration-test-secret-32-bytes!");
    }

    /** A private in-memory H2 database in the MySQL mode the JDBC stores need. */
    public static String h2Url() {
        return "jdbc:h2:mem:autoconf-" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    }
}
