package io.fatechat.spring.web;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.memory.InMemoryThrottleStore;
import io.fatechat.spi.ThrottleStore;
import io.fatechat.spring.BuilderSetter;
import io.fatechat.spring.FatechatEngineAutoConfiguration;
import io.fatechat.spring.FatechatInMemoryAutoConfiguration;
import io.fatechat.spring.socketio.FatechatSocketIoProperties;
import io.fatechat.ws.ChatRestConfig;
import io.fatechat.ws.ChatRestServlet;
import jakarta.servlet.Servlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Serves the REST API (register, login, rooms, history) at {@code fatechat.rest.path} (default {@code /api}) in
 * a servlet web application. Switch it off with {@code fatechat.rest.enabled=false}. Limits on hostile clients are
 * {@code fatechat.security.*}; browser origins are {@code fatechat.socketio.allowed-origins}; login attempts are
 * counted in the {@link ThrottleStore} bean (Redis when {@code fatechat.redis.url} is set, else this node's memory).
 */
@AutoConfiguration(after = {FatechatEngineAutoConfiguration.class, FatechatInMemoryAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(Servlet.class)
@ConditionalOnBean(ChatEngine.class)
@ConditionalOnProperty(prefix = "fatechat.rest", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({
    FatechatRestProperties.class,
    FatechatSecurityProperties.class,
    FatechatSocketIoProperties.class
})
public class FatechatRestAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "fatechatRestServlet")
    public ServletRegistrationBean<ChatRestServlet> fatechatRestServlet(
            ChatEngine engine,
            FatechatRestProperties properties,
            FatechatSecurityProperties security,
            FatechatSocketIoProperties socketIo,
            ObjectProvider<ThrottleStore> throttles) {
        String path = properties.getPath().trim();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        ChatRestConfig config = restConfig(properties, security, socketIo);
        ThrottleStore store = throttles.getIfAvailable(InMemoryThrottleStore::new);
        ServletRegistrationBean<ChatRestServlet> registration =
                new ServletRegistrationBean<>(new ChatRestServlet(engine, config, store), path + "/*");
        registration.setName("fatechatRest");
        registration.setLoadOnStartup(1);
        // bodies are read with a ReadListener: no container thread waits for a slow client
        registration.setAsyncSupported(true);
        return registration;
    }

    static ChatRestConfig restConfig(
            FatechatRestProperties rest, FatechatSecurityProperties security, FatechatSocketIoProperties socketIo) {
        String p = "fatechat.security.";
        ChatRestConfig.Builder b = ChatRestConfig.builder();
        BuilderSetter.setIntBytes("fatechat.rest.max-body-size", rest.getMaxBodySize(), b::maxBodySize);
        BuilderSetter.set(p + "body-timeout", security.getBodyTimeout(), b::bodyTimeout);
        BuilderSetter.set("fatechat.socketio.allowed-origins", socketIo.getAllowedOrigins(), b::allowedOrigins);
        BuilderSetter.set("fatechat.socketio.trusted-proxies", socketIo.getTrustedProxies(), b::trustedProxies);
        BuilderSetter.set(
                p + "login-attempts-per-address",
                security.getLoginAttemptsPerAddress(),
                n -> b.attemptsPerAddress(n, security.getLoginAddressWindow()));
        BuilderSetter.set(
                p + "login-attempts-per-account",
                security.getLoginAttemptsPerAccount(),
                n -> b.attemptsPerAccount(n, security.getLoginAccountWindow()));
        BuilderSetter.set(
                p + "rooms-per-user", security.getRoomsPerUser(), n -> b.roomsPerUser(n, security.getRoomsWindow()));
        BuilderSetter.set(p + "max-room-page", security.getMaxRoomPage(), b::maxRoomPage);
        return BuilderSetter.build("fatechat.security", b::build);
    }
}
