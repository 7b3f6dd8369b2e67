package io.fatechat.examples.plain;

import io.fatechat.examples.hosts.HostSmoke;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The host smoke the Spring Boot host applications run, against the plain-Java server. */
class PlainJavaHostIT extends HostSmoke {

    private static PlainJavaChatServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PlainJavaChatServer.start(
                0,
                "jdbc:h2:mem:plain-smoke-" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "plain-java-smoke-secret-of-32-bytes!".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** No Spring Boot here, so no Actuator: the health check is the Boot hosts' part of the smoke. */
    @Override
    protected boolean servesActuator() {
        return false;
    }

    @Override
    protected URI baseUri() {
        return URI.create("http://localhost:" + server.port());
    }
}
