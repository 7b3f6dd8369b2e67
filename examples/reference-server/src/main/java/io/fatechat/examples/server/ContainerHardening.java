package io.fatechat.examples.server;

import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * What the reference server adds to Tomcat against hostile clients: container-level errors as the contract's JSON
 * ({@link JsonErrorReportValve}) and actuator endpoints for local callers only ({@link ActuatorAccessFilter}).
 * Time limits on slow clients are in {@code application.yml} ({@code server.tomcat.*}).
 */
@Configuration(proxyBeanMethods = false)
class ContainerHardening {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }

    @Bean
    FilterRegistrationBean<ActuatorAccessFilter> actuatorAccessFilter() {
        FilterRegistrationBean<ActuatorAccessFilter> registration =
                new FilterRegistrationBean<>(new ActuatorAccessFilter());
        registration.setUrlPatterns(List.of("/actuator", "/actuator/*"));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
