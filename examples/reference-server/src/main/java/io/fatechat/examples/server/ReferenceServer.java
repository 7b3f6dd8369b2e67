package io.fatechat.examples.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Fatechat reference server: the chat of the Spring Boot starter plus its web UI at {@code /}, on port 3000.
 *
 * <p>With no configuration it runs the embedded default (in-memory bus and presence, H2 file under
 * {@code ./data}); {@code FATECHAT_KAFKA_BOOTSTRAP_SERVERS}, {@code FATECHAT_REDIS_URL} and
 * {@code FATECHAT_JDBC_URL} switch to the distributed mode.
 */
@SpringBootApplication
public class ReferenceServer {

    private static final Logger log = LoggerFactory.getLogger(ReferenceServer.class);

    /** Where the embedded default keeps the token secret, so that logins survive a restart. */
    static final Path SECRET_FILE = Path.of("data", "token-secret");

    public static void main(String[] args) {
        TomcatConnectionMemory.sizeWebSocketBuffers();
        SpringApplication app = new SpringApplication(ReferenceServer.class);
        String secret = embeddedTokenSecret();
        if (secret != null) {
            // Lowest precedence: fatechat.auth.token-secret from the environment or the command line wins.
            app.setDefaultProperties(Map.of("fatechat.auth.token-secret", secret));
        }
        app.run(args);
    }

    /** Reads the secret under ./data, creating it on first start; null when ./data is not writable. */
    private static String embeddedTokenSecret() {
        try {
            if (Files.exists(SECRET_FILE)) {
                return Files.readString(SECRET_FILE).trim();
            }
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                DataFilePermissions.secureDirectory(SECRET_FILE.getParent());
                DataFilePermissions.createOwnerOnly(SECRET_FILE);
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file gets default permissions
                Files.createDirectories(SECRET_FILE.getParent());
            }
            Files.writeString(SECRET_FILE, secret);
            return secret;
        } catch (IOException e) {
            log.warn(
                    "Cannot keep a token secret in {} ({}); tokens will not survive a restart",
                    SECRET_FILE,
                    e.getMessage());
            return null;
        }
    }
}
