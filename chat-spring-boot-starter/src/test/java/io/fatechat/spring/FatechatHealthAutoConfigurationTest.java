package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.spring.health.JdbcStoresHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** One health indicator per configured backend. */
class FatechatHealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = StarterRunners.withH2();

    @Test
    void jdbcIndicatorWhenJdbcIsConfigured() {
        runner.withPropertyValues("fatechat.jdbc.url=" + StarterRunners.h2Url()).run(context -> {
            assertThat(context).hasSingleBean(JdbcStoresHealthIndicator.class);
            assertThat(context.getBean(JdbcStoresHealthIndicator.class)
                            .health()
                            .getStatus()
                            .getCode())
                    .isEqualTo("UP");
        });
    }

    @Test
    void noIndicatorsWithoutBootHealth() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .withPropertyValues("fatechat.jdbc.url=" + StarterRunners.h2Url())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(JdbcStoresHealthIndicator.class);
                });
    }

    @Test
    void noIndicatorForTheInMemoryDefault() {
        StarterRunners.starter().run(context -> assertThat(context).doesNotHaveBean(HealthIndicator.class));
    }
}
