package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BuilderTest {

    @Test
    void everySetterNamesTheBadValue() {
        ChatEngine.Builder builder = ChatEngine.builder();
        assertThatThrownBy(() -> builder.nodeId("has space"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodeId")
                .hasMessageContaining("'has space'");
        assertThatThrownBy(() -> builder.nodeId("")).hasMessageContaining("nodeId");
        assertThatThrownBy(() -> builder.nodeId("x".repeat(65))).hasMessageContaining("nodeId");
        assertThatThrownBy(() -> builder.nodeId(null)).hasMessageContaining("nodeId");
        assertThatThrownBy(() -> builder.tokenSecret(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenSecret")
                .hasMessageContaining("31 bytes");
        assertThatThrownBy(() -> builder.tokenSecret("short")).hasMessageContaining("tokenSecret");
        assertThatThrownBy(() -> builder.tokenTtl(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenTtl")
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> builder.tokenTtl(Duration.ofDays(366))).hasMessageContaining("tokenTtl");
        assertThatThrownBy(() -> builder.bcryptCost(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bcryptCost")
                .hasMessageContaining("3");
        assertThatThrownBy(() -> builder.bcryptCost(32)).hasMessageContaining("bcryptCost");
        assertThatThrownBy(() -> builder.presenceLeaseTtl(Duration.ofMillis(99)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("presenceLeaseTtl")
                .hasMessageContaining("PT0.099S");
        assertThatThrownBy(() -> builder.messageBus(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("messageBus");
        assertThatThrownBy(() -> builder.presenceStore(null)).hasMessageContaining("presenceStore");
        assertThatThrownBy(() -> builder.historyStore(null)).hasMessageContaining("historyStore");
        assertThatThrownBy(() -> builder.userStore(null)).hasMessageContaining("userStore");
        assertThatThrownBy(() -> builder.roomStore(null)).hasMessageContaining("roomStore");
        assertThatThrownBy(() -> builder.limits(null)).hasMessageContaining("limits");
        assertThatThrownBy(() -> builder.metrics(null)).hasMessageContaining("metrics");
        assertThatThrownBy(() -> builder.clock(null)).hasMessageContaining("clock");
    }

    @Test
    void defaultsGiveAWorkingSingleNode() {
        try (ChatEngine engine = ChatEngine.builder().bcryptCost(4).build()) {
            assertThat(engine.nodeId()).matches("node-[0-9a-z]{8}");
            assertThat(engine.limits()).isEqualTo(ChatLimits.DEFAULTS);
            assertThat(engine.authenticate(engine.register("a@x.io", "12345678")))
                    .isEqualTo("a@x.io");
        }
    }

    @Test
    void theSecretIsCopiedSoLaterChangesDoNotAffectTheEngine() {
        byte[] secret = TestEngines.SECRET.clone();
        try (ChatEngine engine = ChatEngine.builder()
                .bcryptCost(4)
                .tokenSecret(secret)
                .nodeId("n-1.a_b")
                .build()) {
            String token = engine.register("a@x.io", "12345678");
            secret[0] ^= 1;
            assertThat(engine.authenticate(token)).isEqualTo("a@x.io");
            assertThat(engine.nodeId()).isEqualTo("n-1.a_b");
        }
        try (ChatEngine a = TestEngines.builder().build();
                ChatEngine b = TestEngines.builder().build()) {
            assertThat(a.nodeId()).isNotEqualTo(b.nodeId());
        }
    }

    @Test
    void closeStopsTheEnginesOwnThreads() {
        ChatEngine engine = TestEngines.builder().nodeId("threads-test").build();
        assertThat(engineThreads()).isNotEmpty();
        engine.close();
        await().atMost(10, TimeUnit.SECONDS).until(() -> engineThreads().isEmpty());
    }

    private static List<String> engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.equals("fatechat-engine-threads-test"))
                .toList();
    }

    @Test
    void closeIsIdempotent() {
        ChatEngine engine = TestEngines.builder().build();
        engine.close();
        engine.close();
        assertThat(engine.connectionCount()).isZero();
    }
}
