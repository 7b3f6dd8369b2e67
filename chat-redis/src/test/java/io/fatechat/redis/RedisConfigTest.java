package io.fatechat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.metrics.CommandLatencyRecorder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisConfigTest {

    @Test
    void defaults() {
        RedisConfig config = RedisConfig.defaults();

        assertThat(config.uri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(config.keyPrefix()).isEqualTo("fatechat:");
        assertThat(config.recentCacheSize()).isEqualTo(100);
        assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void builderCopiesEveryValue() {
        CommandLatencyRecorder recorder = CommandLatencyRecorder.disabled();
        RedisConfig config = RedisConfig.builder()
                .uri("redis://example:6380/2")
                .keyPrefix("{chat}:")
                .commandTimeout(Duration.ofMillis(300))
                .connectTimeout(Duration.ofMillis(400))
                .reconnectDelayMax(Duration.ofSeconds(1))
                .recentCacheSize(50)
                .recentCacheTtl(Duration.ofHours(2))
                .leaseTtl(Duration.ofSeconds(9))
                .commandLatencyRecorder(recorder)
                .build();

        assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
        assertThat(config.keyPrefix()).isEqualTo("{chat}:");
        assertThat(config.commandLatencyRecorder()).isSameAs(recorder);
        assertThat(RedisConfig.defaults().commandLatencyRecorder()).isNull();
        assertThat(config.recentCacheTtl()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void badValuesAreNamedInTheError() {
        assertThatThrownBy(() -> RedisConfig.builder().recentCacheSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recentCacheSize")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> RedisConfig.builder().commandTimeout(Duration.ZERO))
                .hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> RedisConfig.builder().leaseTtl(Duration.ofMillis(5)))
                .hasMessageContaining("leaseTtl")
                .hasMessageContaining("PT0.005S");
        assertThatThrownBy(() -> RedisConfig.builder().keyPrefix("")).hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> RedisConfig.builder().keyPrefix("a b")).hasMessageContaining("'a b'");
        assertThatThrownBy(() -> RedisConfig.builder().uri("http://nope"))
                .hasMessageContaining("uri")
                .hasMessageContaining("http://nope");
        assertThatThrownBy(() -> RedisConfig.builder().uri(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("uri");
    }

    @Test
    void passwordsNeverShowInTextOrErrors() {
        RedisConfig config =
                RedisConfig.builder().uri("redis://:s3cret@host:6379").build();

        assertThat(config.toString()).doesNotContain("s3cret").contains("redis://:***@host:6379");
        assertThat(config.redactedUri()).isEqualTo("redis://:***@host:6379");
        assertThatThrownBy(() -> RedisConfig.builder().uri("redis://:s3cret@"))
                .hasMessageContaining("uri")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisConfig.builder().uri("redis://u:s3cret@h:70000"))
                .hasMessageContaining("70000")
                .hasMessageNotContaining("s3cret");
    }
}
