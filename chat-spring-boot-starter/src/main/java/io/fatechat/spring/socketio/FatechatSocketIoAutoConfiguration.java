package io.fatechat.spring.socketio;

import static io.fatechat.spring.BuilderSetter.set;
import static io.fatechat.spring.BuilderSetter.setIntBytes;

import io.fatechat.core.ChatEngine;
import io.fatechat.socketio.SocketIoConfig;
import io.fatechat.socketio.SocketIoMetrics;
import io.fatechat.socketio.SocketIoServer;
import io.fatechat.spring.BuilderSetter;
import io.fatechat.spring.FatechatEngineAutoConfiguration;
import io.fatechat.spring.metrics.FatechatMetricsAutoConfiguration;
import io.fatechat.ws.ChatSocketIoBinding;
import io.fatechat.ws.SocketIoClientServlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves the chat over Socket.IO at {@code fatechat.socketio.path} (default {@code /socket.io/}): a Jakarta
 * WebSocket endpoint plus a long-polling servlet, in a servlet web application on Spring Boot 3.5 or 4.0 whose
 * container supports Jakarta WebSocket (Tomcat or Jetty; see {@code SocketIoServletRegistration}). Switch it off
 * with {@code fatechat.socketio.enabled=false}.
 */
@AutoConfiguration(after = {FatechatEngineAutoConfiguration.class, FatechatMetricsAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SocketIoServer.class)
@ConditionalOnBean(ChatEngine.class)
@ConditionalOnProperty(prefix = "fatechat.socketio", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(FatechatSocketIoProperties.class)
public class FatechatSocketIoAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public SocketIoConfig fatechatSocketIoConfig(
            FatechatSocketIoProperties s, ObjectProvider<SocketIoMetrics> metrics) {
        String p = "fatechat.socketio.";
        SocketIoConfig.Builder b = SocketIoConfig.builder();
        set(p + "path", s.getPath(), b::path);
        set(p + "ping-interval", s.getPingInterval(), b::pingInterval);
        set(p + "ping-timeout", s.getPingTimeout(), b::pingTimeout);
        setIntBytes(p + "max-payload", s.getMaxPayload(), b::maxPayload);
        set(p + "connect-timeout", s.getConnectTimeout(), b::connectTimeout);
        set(p + "upgrade-timeout", s.getUpgradeTimeout(), b::upgradeTimeout);
        set(p + "allowed-origins", s.getAllowedOrigins().toArray(String[]::new), b::allowedOrigins);
        set(p + "max-queued-packets", s.getMaxQueuedPackets(), b::maxQueuedPackets);
        set(
                p + "max-queued-bytes",
                s.getMaxQueuedBytes() == null ? null : s.getMaxQueuedBytes().toBytes(),
                b::maxQueuedBytes);
        set(p + "max-inbound-queue", s.getMaxInboundQueue(), b::maxInboundQueue);
        set(p + "max-attachments", s.getMaxAttachments(), b::maxAttachments);
        set(p + "max-connections-per-address", s.getMaxConnectionsPerAddress(), b::maxConnectionsPerAddress);
        set(p + "poll-probe-interval", s.getPollProbeInterval(), b::pollProbeInterval);
        set(p + "trusted-proxies", s.getTrustedProxies().toArray(String[]::new), b::trustedProxies);
        if (s.getWorkerThreads() != 0) {
            set(p + "worker-threads", s.getWorkerThreads(), b::workerThreads);
        }
        b.metrics(metrics.getIfAvailable(() -> SocketIoMetrics.NOOP));
        return BuilderSetter.build("fatechat.socketio", b::build);
    }

    @Bean
    @ConditionalOnMissingBean
    public SocketIoServer fatechatSocketIoServer(SocketIoConfig config) {
        return SocketIoServer.create(config);
    }

    @Bean
    @ConditionalOnMissingBean
    public ChatSocketIoBinding fatechatChatSocketIoBinding(ChatEngine engine, SocketIoServer server) {
        return ChatSocketIoBinding.bind(engine, server.namespace("/"));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "jakarta.websocket.server.ServerContainer")
    static class Deployment {

        @Bean
        @ConditionalOnMissingBean
        SocketIoServletRegistration fatechatSocketIoServletRegistration(
                SocketIoServer server, ChatSocketIoBinding binding) {
            return new SocketIoServletRegistration(server);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    public SocketIoShutdown fatechatSocketIoShutdown(SocketIoServer server, ChatSocketIoBinding binding) {
        return new SocketIoShutdown(server, binding);
    }

    /** The browser client at {@code <path>socket.io.js}; {@code fatechat.socketio.serve-client=false} turns it off. */
    @Bean
    @ConditionalOnProperty(
            prefix = "fatechat.socketio",
            name = "serve-client",
            havingValue = "true",
            matchIfMissing = true)
    public ServletContextInitializer fatechatSocketIoClientScript(SocketIoConfig config) {
        return servletContext -> SocketIoClientServlet.register(servletContext, config.path());
    }

    /** Without the Jakarta WebSocket API the endpoint cannot be served: say so instead of answering 404. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("jakarta.websocket.server.ServerContainer")
    static class NoWebSocket {

        @Bean
        Object fatechatSocketIoWebSocketMissing() {
            throw new IllegalStateException("Cannot serve Socket.IO: " + SocketIoServletRegistration.NO_WEBSOCKET);
        }
    }
}
