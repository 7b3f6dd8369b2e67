package io.fatechat.spring.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

import io.fatechat.core.ChatEngine;
import io.fatechat.spring.FatechatEngineAutoConfiguration;
import io.fatechat.spring.BuilderSetter;
import io.fatechat.ws.ChatRestServlet;
import jakarta.servlet.Servlet;

/**
 * Serves the REST API (register, login, rooms, history) at {@code fatechat.rest.path} (default {@code /api}) in
 * a servlet web application. Switch it off with {@code fatechat.rest.enabled=false}.
 */
@AutoConfiguration(after = FatechatEngineAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(Servlet.class)
@ConditionalOnBean(ChatEngine.class)
@ConditionalOnProperty(prefix = "fatechat.rest", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(FatechatRestProperties.class)
public class FatechatRestAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "fatechatRestServlet")
    public ServletRegistrationBean<ChatRestServlet> fatechatRestServlet(ChatEngine engine,
            FatechatRestProperties properties) {
        String path = properties.getPath().trim();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int maxBody = BuilderSetter.intBytes("fatechat.rest.max-body-size", properties.getMaxBodySize());
        ServletRegistrationBean<ChatRestServlet> registration = new ServletRegistrationBean<>(
                new ChatRestServlet(engine, maxBody), path + "/*");
        registration.setName("fatechatRest");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
