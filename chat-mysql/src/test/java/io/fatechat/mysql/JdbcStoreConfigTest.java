package io.fatechat.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JdbcStoreConfigTest {

    @Test
    void defaultsFailFastAndPrefixTables() {
        JdbcStoreConfig config =
                JdbcStoreConfig.builder("jdbc:mysql://db:3306/chat").build();

        assertThat(config.maximumPoolSize()).isEqualTo(10);
        assertThat(config.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.socketTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.tablePrefix()).isEqualTo("fatechat_");
        assertThat(config.migrateSchema()).isTrue();
        assertThat(config.username()).isNull();
        assertThat(config.isH2()).isFalse();
    }

    @Test
    void theEmbeddedDefaultIsAnH2FileUnderDataInMySqlMode() {
        assertThat(JdbcStoreConfig.DEFAULT_H2_URL)
                .isEqualTo("jdbc:h2:file:./data/fatechat;MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(JdbcStoreConfig.builder(JdbcStoreConfig.DEFAULT_H2_URL)
                        .build()
                        .isH2())
                .isTrue();
        assertThatThrownBy(() -> JdbcStoreConfig.h2FileUrl("a;b")).hasMessageContaining("a;b");
    }

    @Test
    void badValuesAreRefusedByName() {
        assertThatThrownBy(() -> JdbcStoreConfig.builder("jdbc:postgresql://db/chat"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbcUrl")
                .hasMessageContaining("postgresql");
        assertThatThrownBy(() -> JdbcStoreConfig.builder("jdbc:h2:mem:x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MODE=MySQL");
        var builder = JdbcStoreConfig.builder("jdbc:mysql://db/chat");
        assertThatThrownBy(() -> builder.maximumPoolSize(1))
                .hasMessageContaining("maximumPoolSize")
                .hasMessageContaining("1");
        assertThatThrownBy(() -> builder.connectionTimeout(Duration.ofMillis(10)))
                .hasMessageContaining("connectionTimeout")
                .hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> builder.socketTimeout(Duration.ofHours(2))).hasMessageContaining("socketTimeout");
        assertThatThrownBy(() -> builder.tablePrefix("Bad-Prefix"))
                .hasMessageContaining("tablePrefix")
                .hasMessageContaining("Bad-Prefix");
        assertThatThrownBy(() -> builder.tablePrefix("x; DROP TABLE users")).hasMessageContaining("tablePrefix");
        assertThat(builder.tablePrefix("").build().tablePrefix()).isEmpty();
    }

    @Test
    void passwordsNeverShowInToStringOrErrors() {
        JdbcStoreConfig config = JdbcStoreConfig.builder("jdbc:mysql://db/chat?user=app&password=s3cret")
                .username("app")
                .password("s3cret")
                .build();

        assertThat(config.toString()).doesNotContain("s3cret").contains("****");
        assertThatThrownBy(() -> JdbcStoreConfig.builder("jdbc:oracle:thin:@db?password=s3cret"))
                .message()
                .doesNotContain("s3cret");
    }

    @Test
    void aUrlNoDriverAcceptsIsAConfigurationErrorNotAnOutage() {
        assertThatThrownBy(() -> JdbcChatStores.start(JdbcStoreConfig.builder("jdbc:mariadb://127.0.0.1:1/chat")
                        .build()))
                .isInstanceOf(JdbcStoreException.class)
                .hasMessageContaining("no JDBC driver")
                .hasMessageContaining("mariadb-java-client");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        JdbcStoreConfig config = JdbcStoreConfig.builder("jdbc:mysql://db/chat")
                .username("u")
                .password("p")
                .maximumPoolSize(3)
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(5))
                .tablePrefix("x_")
                .migrateSchema(false)
                .build();

        assertThat(config.toBuilder().build()).usingRecursiveComparison().isEqualTo(config);
    }
}
