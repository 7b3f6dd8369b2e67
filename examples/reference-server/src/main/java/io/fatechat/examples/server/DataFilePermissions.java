package io.fatechat.examples.server;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Keeps the embedded database (password hashes, private messages) and the token secret to the server's own user:
 * before the database opens, the H2 file's directory is made 0700 and the database files 0600, creating the main
 * file empty with those permissions so that H2 never writes it with the process umask. Registered in
 * {@code META-INF/spring.factories}, so it runs before any bean exists.
 */
public class DataFilePermissions implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger(DataFilePermissions.class);
    static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final String H2_FILE = "jdbc:h2:file:";

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        String url = event.getEnvironment().getProperty("fatechat.jdbc.url", "").strip();
        if (!url.regionMatches(true, 0, H2_FILE, 0, H2_FILE.length())) {
            return;
        }
        String location = url.substring(H2_FILE.length()).split(";", 2)[0];
        if (location.startsWith("~")) {
            location = System.getProperty("user.home") + location.substring(1);
        }
        Path database = Path.of(location).toAbsolutePath().normalize();
        try {
            secureDirectory(database.getParent());
            createOwnerOnly(database.resolveSibling(database.getFileName() + ".mv.db"));
            String name = database.getFileName().toString();
            try (Stream<Path> files = Files.list(database.getParent())) {
                for (Path file : (Iterable<Path>)
                        files.filter(f -> f.getFileName().toString().startsWith(name))::iterator) {
                    if (Files.isRegularFile(file)) {
                        Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
                    }
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("Could not restrict the permissions of the database files at {}: {}", database, e.toString());
        }
    }

    /** Creates {@code directory} (and its parents) if needed and makes it 0700. */
    static void secureDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
    }

    /** Creates {@code file} empty with 0600 unless it exists; never a moment with wider permissions. */
    static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
        }
    }
}
