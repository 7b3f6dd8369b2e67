package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.mysql.JdbcStoreConfig;
import io.fatechat.mysql.JdbcUserStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.UserStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The JDBC stores on the application's own {@link DataSource} (H2 in MySQL mode here; MariaDB in
 * {@link FatechatJdbcApplicationDataSourceIT}): used when {@code fatechat.jdbc.url} is unset, shared, never closed.
 */
class FatechatJdbcApplicationDataSourceTest {

    private final ApplicationContextRunner runner = StarterRunners.withH2();

    /** A pool the application owns (outside the context, so that only the stores could have closed it). */
    static HikariDataSource applicationPool(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("application-" + UUID.randomUUID());
        pool.setJdbcUrl(url);
        pool.setMaximumPoolSize(4);
        return pool;
    }

    static ApplicationContextRunner withApplicationDataSource(ApplicationContextRunner runner, DataSource pool) {
        return runner.withBean(
                "applicationDataSource",
                DataSource.class,
                () -> pool,
                definition -> definition.setDestroyMethodName(""));
    }

    /** Registers a user through the engine and reads it back from the application's pool directly. */
    static void storesUseTheApplicationsPoolAndLeaveItOpen(ApplicationContextRunner runner, HikariDataSource pool)
            throws Exception {
        withApplicationDataSource(runner, pool).run(context -> {
            assertThat(context).hasNotFailed();
            JdbcChatStores stores = context.getBean(JdbcChatStores.class);
            assertThat(stores.dataSource()).isSameAs(pool);
            assertThat(stores.ownsDataSource()).isFalse();
            assertThat(context.getBean(UserStore.class)).isInstanceOf(JdbcUserStore.class);
            assertThat(context.getBean(FatechatJdbcDatabase.class).label()).startsWith("the application's DataSource");
            context.getBean(ChatEngine.class).register("erin@example.com", "erin-password");
        });
        assertThat(pool.isClosed())
                .as("the application's pool after the context closed")
                .isFalse();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet users = s.executeQuery("SELECT email FROM fatechat_users")) {
            assertThat(users.next()).isTrue();
            assertThat(users.getString(1)).isEqualToIgnoringCase("erin@example.com");
        }
    }

    @Test
    void theApplicationsDataSourceServesTheStoresWhenNoUrlIsSet() throws Exception {
        try (HikariDataSource pool = applicationPool(StarterRunners.h2Url())) {
            storesUseTheApplicationsPoolAndLeaveItOpen(runner, pool);
        }
    }

    @Test
    void aUrlWinsOverTheApplicationsDataSource() {
        try (HikariDataSource pool = applicationPool(StarterRunners.h2Url())) {
            withApplicationDataSource(runner, pool)
                    .withPropertyValues("fatechat.jdbc.url=" + StarterRunners.h2Url())
                    .run(context -> {
                        JdbcChatStores stores = context.getBean(JdbcChatStores.class);
                        assertThat(stores.ownsDataSource()).isTrue();
                        assertThat(stores.dataSource()).isNotSameAs(pool);
                        assertThat(context.getBean(FatechatJdbcDatabase.class).label())
                                .isEqualTo("H2 in memory");
                    });
            assertThat(pool.isClosed()).isFalse();
        }
    }

    @Test
    void withoutH2TheApplicationsDataSourceStillEnablesTheStores() {
        try (HikariDataSource pool = applicationPool(StarterRunners.h2Url())) {
            // H2 hidden from the class-path check only: the pool was made before
            withApplicationDataSource(StarterRunners.starter(), pool).run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(JdbcChatStores.class).dataSource()).isSameAs(pool);
            });
        }
    }

    @Test
    void anH2DataSourceOutsideMySqlModeFailsNamingBothWaysOut() {
        try (HikariDataSource pool = applicationPool("jdbc:h2:mem:app-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
            withApplicationDataSource(runner, pool).run(context -> assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("MODE=MySQL")
                    .hasStackTraceContaining("fatechat.jdbc.url"));
            assertThat(pool.isClosed()).isFalse();
        }
    }

    @Test
    void severalDataSourcesWithoutAPrimaryFailNamingTheWayOut() {
        try (HikariDataSource a = applicationPool(StarterRunners.h2Url());
                HikariDataSource b = applicationPool(StarterRunners.h2Url())) {
            withApplicationDataSource(runner, a)
                    .withBean("secondDataSource", DataSource.class, () -> b, d -> d.setDestroyMethodName(""))
                    .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining("@Primary"));
            withApplicationDataSource(runner, a)
                    .withBean("secondDataSource", DataSource.class, () -> b, d -> {
                        d.setDestroyMethodName("");
                        d.setPrimary(true);
                    })
                    .run(context -> assertThat(
                                    context.getBean(JdbcChatStores.class).dataSource())
                            .isSameAs(b));
        }
    }

    /** The starter after Spring Boot's DataSourceAutoConfiguration, as in a host with spring-boot-starter-jdbc. */
    private ApplicationContextRunner withBootsDataSource() {
        return runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class));
    }

    private static long fatechatTables(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet count = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
                        + "WHERE LOWER(TABLE_NAME) LIKE 'fatechat%'")) {
            count.next();
            return count.getLong(1);
        }
    }

    @Test
    void bootsGeneratedInMemoryDatabaseIsLeftAloneForTheH2FileDefault(@TempDir Path dir) {
        // the default's file, moved under a temporary directory so that the test leaves no ./data behind
        String fileUrl = JdbcStoreConfig.DEFAULT_H2_URL.replace(
                "./data/fatechat", dir.resolve("fatechat").toString());
        withBootsDataSource()
                .withBean(JdbcStoreConfig.class, () -> JdbcStoreConfig.builder(fileUrl)
                        .build())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DataSource boots = context.getBean(DataSource.class);
                    try (Connection c = boots.getConnection()) {
                        assertThat(c.getMetaData().getURL())
                                .as("Boot generated an in-memory H2")
                                .startsWith("jdbc:h2:mem:");
                    }
                    JdbcChatStores stores = context.getBean(JdbcChatStores.class);
                    assertThat(stores.ownsDataSource()).isTrue();
                    assertThat(stores.dataSource()).isNotSameAs(boots);
                    assertThat(stores.config().jdbcUrl()).isEqualTo(fileUrl);
                    context.getBean(ChatEngine.class).register("frank@example.com", "frank-password");
                    assertThat(fatechatTables(stores.dataSource())).isPositive();
                    assertThat(fatechatTables(boots))
                            .as("Fatechat tables in Boot's database")
                            .isZero();
                    String expected = "users/rooms/history=H2 file " + dir.resolve("fatechat")
                            + " (the application's DataSource is Spring Boot's in-memory embedded database, not used)";
                    assertThat(FatechatBackends.describe(
                                    context.getBean(MessageBus.class),
                                    context.getBean(PresenceStore.class),
                                    context.getBean(UserStore.class),
                                    context.getEnvironment(),
                                    context.getBean(FatechatJdbcDatabase.class)))
                            .endsWith(expected);
                    assertThat(context.getBean(MessageBus.class)).isInstanceOf(InMemoryMessageBus.class);
                });
        assertThat(dir.resolve("fatechat.mv.db"))
                .as("the H2 file of the default")
                .exists();
    }

    @Test
    void anExplicitSpringDatasourceUrlOutsideMySqlModeStillFailsClearly() {
        withBootsDataSource()
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:app-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .run(context -> assertThat(context.getStartupFailure())
                        .hasStackTraceContaining("MODE=MySQL")
                        .hasStackTraceContaining("fatechat.jdbc.url"));
    }

    @Test
    void anExplicitSpringDatasourceUrlInMySqlModeServesTheStores() {
        withBootsDataSource()
                .withPropertyValues("spring.datasource.url=" + StarterRunners.h2Url())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JdbcChatStores stores = context.getBean(JdbcChatStores.class);
                    assertThat(stores.ownsDataSource()).isFalse();
                    assertThat(stores.dataSource()).isSameAs(context.getBean(DataSource.class));
                    assertThat(context.getBean(FatechatJdbcDatabase.class).label())
                            .isEqualTo("the application's DataSource (H2 in memory)");
                    context.getBean(ChatEngine.class).register("grace@example.com", "grace-password");
                    assertThat(fatechatTables(context.getBean(DataSource.class)))
                            .isPositive();
                });
    }
}
