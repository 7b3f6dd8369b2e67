package io.fatechat.examples.hosts.boot40jetty;

import java.net.URI;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.fatechat.examples.hosts.HostSmoke;

/** The host smoke against this application on a random port, its H2 file under target/. */
@SpringBootTest(classes = Boot40JettyHost.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fatechat.auth.bcrypt-cost=4",
                "management.endpoint.health.show-components=always",
                "fatechat.jdbc.url=jdbc:h2:file:./target/data/fatechat;MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE"})
class Boot40JettyHostIT extends HostSmoke {

    @LocalServerPort
    int port;

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + port);
    }
}
