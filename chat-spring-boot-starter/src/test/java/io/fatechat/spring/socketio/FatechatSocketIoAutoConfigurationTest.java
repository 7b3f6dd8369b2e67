package io.fatechat.spring.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import io.fatechat.socketio.SocketIoConfig;
import io.fatechat.spring.FatechatEngineAutoConfiguration;
import io.fatechat.spring.FatechatInMemoryAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The Socket.IO endpoint's settings and when it is registered; no server is started. */
class FatechatSocketIoAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    FatechatInMemoryAutoConfiguration.class,
                    FatechatEngineAutoConfiguration.class,
                    FatechatSocketIoAutoConfiguration.class))
            .withPropertyValues("fatechat.auth.bcrypt-cost=4");

    @Test
    void defaultsAreSocketIoConfigs() {
        runner.run(context -> assertThat(context.getBean(SocketIoConfig.class).toString())
                .isEqualTo(SocketIoConfig.defaults().toString()));
    }

    @Test
    void byteSizesTakeUnits() {
        runner.withPropertyValues(
                        "fatechat.socketio.max-payload=64KB",
                        "fatechat.socketio.max-queued-bytes=2MB",
                        "fatechat.socketio.path=/chat-io")
                .run(context -> {
                    SocketIoConfig config = context.getBean(SocketIoConfig.class);
                    assertThat(config.maxPayload()).isEqualTo(64 * 1024);
                    assertThat(config.maxQueuedBytes()).isEqualTo(2L * 1024 * 1024);
                    assertThat(config.path()).isEqualTo("/chat-io/");
                });
        runner.withPropertyValues("fatechat.socketio.max-payload=1000000")
                .run(context -> assertThat(context.getBean(SocketIoConfig.class).maxPayload())
                        .isEqualTo(1_000_000));
    }

    @Test
    void aBadValueNamesTheKey() {
        runner.withPropertyValues("fatechat.socketio.allowed-origins=chat.example.com/path")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("fatechat.socketio.allowed-origins"));
        runner.withPropertyValues("fatechat.socketio.max-payload=8B")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("fatechat.socketio.max-payload"));
    }

    @Test
    void trustedProxiesAndTheProbeIntervalAreBound() {
        runner.withPropertyValues(
                        "fatechat.socketio.trusted-proxies=10.0.0.0/8,::1",
                        "fatechat.socketio.poll-probe-interval=250ms")
                .run(context -> {
                    SocketIoConfig config = context.getBean(SocketIoConfig.class);
                    assertThat(config.trustedProxies()).containsExactly("10.0.0.0/8", "::1");
                    assertThat(config.pollProbeInterval()).hasMillis(250);
                });
        runner.withPropertyValues("fatechat.socketio.trusted-proxies=proxy.example")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("fatechat.socketio.trusted-proxies"));
    }

    @Test
    void offWhenDisabled() {
        runner.withPropertyValues("fatechat.socketio.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SocketIoConfig.class));
    }
}
