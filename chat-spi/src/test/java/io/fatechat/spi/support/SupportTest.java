package io.fatechat.spi.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class SupportTest {

    @Test
    void outageLogCountsOutagesNotFailures() {
        OutageLog outage = new OutageLog(NOPLogger.NOP_LOGGER, "test backend");
        outage.succeeded();
        assertThat(outage.isDown()).isFalse();
        for (int i = 0; i < 100; i++) {
            outage.failed(new IOException("connection refused"));
        }
        assertThat(outage.isDown()).isTrue();
        outage.succeeded();
        assertThat(outage.isDown()).isFalse();
        outage.failed(new IOException("again"));
        assertThat(outage.outages()).isEqualTo(2);
    }

    @Test
    void describeNamesTheRootCause() {
        Exception e = new IllegalStateException("publish failed", new IOException("broker gone"));
        assertThat(OutageLog.describe(e)).isEqualTo("IllegalStateException: publish failed (IOException: broker gone)");
        assertThat(OutageLog.describe(new IOException("plain"))).isEqualTo("IOException: plain");
        assertThat(OutageLog.describe(null)).isEqualTo("unknown cause");
    }

    @Test
    void unwrapRemovesEveryFutureWrapper() throws Exception {
        IOException root = new IOException("root");
        assertThat(Completions.unwrap(new CompletionException(new ExecutionException(root))))
                .isSameAs(root);
        assertThat(Completions.unwrap(root)).isSameAs(root);
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(root);
        try {
            failed.get();
        } catch (ExecutionException e) {
            assertThat(Completions.unwrap(e)).isSameAs(root);
        }
    }

    @Test
    void threadsAreNamedDaemons() {
        Thread t = NamedThreads.factory("fatechat-test").newThread(() -> {});
        assertThat(t.getName()).isEqualTo("fatechat-test-1");
        assertThat(t.isDaemon()).isTrue();
        assertThat(NamedThreads.factory("fatechat-test").newThread(() -> {}).getName())
                .isEqualTo("fatechat-test-1");
        assertThat(NamedThreads.daemon("solo", () -> {}).getName()).isEqualTo("solo");
    }
}
