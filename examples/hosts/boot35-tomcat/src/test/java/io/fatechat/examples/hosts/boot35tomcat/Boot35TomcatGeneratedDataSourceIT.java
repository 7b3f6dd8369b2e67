package io.fatechat.examples.hosts.boot35tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.fatechat.mysql.JdbcChatStores;
import io.fatechat.mysql.JdbcStoreConfig;
import io.fatechat.spring.FatechatJdbcDatabase;

/**
 * Spring Boot 3.5 generates an in-memory H2 DataSource when spring.datasource.url is unset: the starter leaves it
 * alone and keeps the chat in its H2 file default (moved under target/ here), saying so on the startup line.
 */
@SpringBootTest(classes = Boot35TomcatHost.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "fatechat.auth.bcrypt-cost=4")
@Import(Boot35TomcatGeneratedDataSourceIT.DefaultFileUnderTarget.class)
class Boot35TomcatGeneratedDataSourceIT {

    static final String DEFAULT_FILE_URL = JdbcStoreConfig.DEFAULT_H2_URL.replace("./data/", "./target/data-default/");

    @TestConfiguration(proxyBeanMethods = false)
    static class DefaultFileUnderTarget {
        @Bean
        JdbcStoreConfig hostJdbcStoreConfig() {
            return JdbcStoreConfig.builder(DEFAULT_FILE_URL).build();
        }
    }

    @Autowired
    DataSource applicationDataSource;

    @Autowired
    JdbcChatStores stores;

    @Autowired
    FatechatJdbcDatabase database;

    @Test
    void bootsGeneratedInMemoryDatabaseIsNotTheChatsStore() throws Exception {
        try (Connection c = applicationDataSource.getConnection()) {
            assertThat(c.getMetaData().getURL()).startsWith("jdbc:h2:mem:");
        }
        assertThat(stores.ownsDataSource()).isTrue();
        assertThat(stores.dataSource()).isNotSameAs(applicationDataSource);
        assertThat(stores.config().jdbcUrl()).isEqualTo(DEFAULT_FILE_URL);
        assertThat(database.label()).isEqualTo("H2 file ./target/data-default/fatechat (the application's DataSource "
                + "is Spring Boot's in-memory embedded database, not used)");
    }
}
