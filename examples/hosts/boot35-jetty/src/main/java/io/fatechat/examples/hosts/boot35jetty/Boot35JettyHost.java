package io.fatechat.examples.hosts.boot35jetty;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot 3.5 application on Jetty whose only chat code is the Fatechat starter on its class path. */
@SpringBootApplication
public class Boot35JettyHost {

    public static void main(String[] args) {
        SpringApplication.run(Boot35JettyHost.class, args);
    }
}
