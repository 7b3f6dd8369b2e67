package io.fatechat.examples.hosts.boot40jetty;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot 4.0 application on Jetty whose only chat code is the Fatechat starter on its class path. */
@SpringBootApplication
public class Boot40JettyHost {

    public static void main(String[] args) {
        SpringApplication.run(Boot40JettyHost.class, args);
    }
}
