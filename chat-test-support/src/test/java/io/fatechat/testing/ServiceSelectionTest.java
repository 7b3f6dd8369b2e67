package io.fatechat.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ServiceSelectionTest {

    private static final String LOCAL = "redis://127.0.0.1:6379";

    private final AtomicInteger dockerAsked = new AtomicInteger();
    private final AtomicInteger localAsked = new AtomicInteger();

    private BooleanSupplier docker(boolean answer) {
        return () -> {
            dockerAsked.incrementAndGet();
            return answer;
        };
    }

    private BooleanSupplier local(boolean answer) {
        return () -> {
            localAsked.incrementAndGet();
            return answer;
        };
    }

    @Test
    void theVariablesStayOutOfTheStartersRelaxedBinding() {
        // FATECHAT_REDIS_URL would be bound as fatechat.redis.url by every Spring Boot context in the same run.
        assertThat(java.util.List.of(
                        TestServices.REDIS_URL_VARIABLE,
                        TestServices.MYSQL_URL_VARIABLE,
                        TestServices.MYSQL8_URL_VARIABLE,
                        TestServices.KAFKA_BOOTSTRAP_SERVERS_VARIABLE))
                .allSatisfy(variable -> assertThat(variable).startsWith("FATECHAT_TEST_"));
    }

    @Test
    void aConfiguredAddressWinsWithoutAskingDockerOrTheLocalService() {
        ServiceChoice choice = ServiceSelection.choose(
                "Redis", "FATECHAT_TEST_REDIS_URL", " redis://cache:6380 ", docker(true), LOCAL, local(true));

        assertThat(choice.source()).isEqualTo(ServiceChoice.Source.CONFIGURED);
        assertThat(choice.address()).isEqualTo("redis://cache:6380");
        assertThat(choice.reason()).contains("FATECHAT_TEST_REDIS_URL is set");
        assertThat(dockerAsked).hasValue(0);
        assertThat(localAsked).hasValue(0);
    }

    @Test
    void withoutAnAddressADockerEngineMeansAContainer() {
        ServiceChoice choice =
                ServiceSelection.choose("Redis", "FATECHAT_TEST_REDIS_URL", null, docker(true), LOCAL, local(true));

        assertThat(choice.source()).isEqualTo(ServiceChoice.Source.CONTAINER);
        assertThat(choice.address()).isNull();
        assertThat(localAsked).hasValue(0);
    }

    @Test
    void aBlankAddressCountsAsUnset() {
        ServiceChoice choice =
                ServiceSelection.choose("Redis", "FATECHAT_TEST_REDIS_URL", "  ", docker(true), LOCAL, local(true));

        assertThat(choice.source()).isEqualTo(ServiceChoice.Source.CONTAINER);
    }

    @Test
    void withoutAddressOrDockerTheLocalServiceIsUsedWhenItAnswers() {
        ServiceChoice choice =
                ServiceSelection.choose("Redis", "FATECHAT_TEST_REDIS_URL", null, docker(false), LOCAL, local(true));

        assertThat(choice.source()).isEqualTo(ServiceChoice.Source.LOCAL);
        assertThat(choice.address()).isEqualTo(LOCAL);
        assertThat(choice.available()).isTrue();
        assertThat(choice.requireAvailable()).isSameAs(choice);
    }

    @Test
    void withNothingThereTheChoiceSaysWhatWasTriedAndRequiringItFails() {
        ServiceChoice choice =
                ServiceSelection.choose("Redis", "FATECHAT_TEST_REDIS_URL", null, docker(false), LOCAL, local(false));

        assertThat(choice.available()).isFalse();
        assertThat(choice.source()).isNull();
        assertThat(choice.reason())
                .contains("FATECHAT_TEST_REDIS_URL is not set", "no Docker engine", LOCAL, "start Docker");
        assertThatThrownBy(choice::requireAvailable)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(choice.reason());
    }

    @Test
    void aMissingServiceIsASkipWhenAskedFor() {
        ServiceChoice choice =
                ServiceSelection.choose("Redis", "FATECHAT_TEST_REDIS_URL", null, docker(false), LOCAL, local(false));
        System.setProperty("fatechat.it.skipMissingServices", "true");
        try {
            assertThatThrownBy(choice::requireAvailable)
                    .isInstanceOf(org.opentest4j.TestAbortedException.class)
                    .hasMessageContaining("FATECHAT_TEST_REDIS_URL is not set");
        } finally {
            System.clearProperty("fatechat.it.skipMissingServices");
        }
    }
}
