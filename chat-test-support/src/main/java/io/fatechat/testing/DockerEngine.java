package io.fatechat.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine is there for Testcontainers. Looks for one cheaply first (DOCKER_HOST, the usual sockets)
 * so that a machine without Docker never waits on Testcontainers' probing; {@code -Dfatechat.it.docker=false}
 * turns containers off on a machine that has Docker but wants its local services.
 */
public final class DockerEngine {

    private static volatile Boolean available;

    private DockerEngine() {}

    /** Whether containers can be started; asked once per JVM. */
    public static boolean isAvailable() {
        Boolean answer = available;
        if (answer == null) {
            synchronized (DockerEngine.class) {
                answer = available;
                if (answer == null) {
                    answer = probe();
                    available = answer;
                }
            }
        }
        return answer;
    }

    private static boolean probe() {
        if ("false"
                .equalsIgnoreCase(System.getProperty("fatechat.it.docker", "").strip())) {
            return false;
        }
        if (!mayHaveDocker()) {
            return false;
        }
        return DockerClientFactory.instance().isDockerAvailable();
    }

    private static boolean mayHaveDocker() {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            return true;
        }
        Path home = Path.of(System.getProperty("user.home"));
        return Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(home.resolve(".docker/run/docker.sock"))
                || Files.exists(home.resolve(".testcontainers.properties"));
    }
}
