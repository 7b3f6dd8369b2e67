package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import com.zaxxer.hikari.HikariDataSource;

import io.fatechat.core.ChatEngine;
import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.mysql.JdbcUserStore;
import io.fatechat.spi.UserStore;

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
        return runner.withBean("applicationDataSource", DataSource.class, () -> pool,
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
        assertThat(pool.isClosed()).as("the application's pool after the context closed").isFalse();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
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
            withApplicationDataSource(runner, pool).withPropertyValues("fatechat.jdbc.url=" + StarterRunners.h2Url())
                    .run(context -> {
                        JdbcChatStores stores = context.getBean(JdbcChatStores.class);
                        assertThat(stores.ownsDataSource()).isTrue();
                        assertThat(stores.dataSource()).isNotSameAs(pool);
                        assertThat(context.getBean(FatechatJdbcDatabase.class).label()).isEqualTo("H2 in memory");
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
                    .run(context -> assertThat(context.getStartupFailure())
                            .hasStackTraceContaining("@Primary"));
            withApplicationDataSource(runner, a)
                    .withBean("secondDataSource", DataSource.class, () -> b,
                            d -> { d.setDestroyMethodName(""); d.setPrimary(true); })
                    .run(context -> assertThat(context.getBean(JdbcChatStores.class).dataSource()).isSameAs(b));
        }
    }
}
