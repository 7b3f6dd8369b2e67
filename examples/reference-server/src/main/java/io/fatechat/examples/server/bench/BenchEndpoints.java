package io.fatechat.examples.server.bench;

import io.fatechat.core.ChatEngine;
import io.fatechat.spi.EmailTakenException;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.RoomExistsException;
import io.fatechat.spi.UnknownUserException;
import io.fatechat.spi.User;
import io.fatechat.spi.UserStore;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The {@code /bench/*} API the load generator (benchmarks/) shares with the Node peer, active only with the
 * {@code bench} profile: {@code tokens?prefix&from&count} mints engine tokens for
 * {@code <prefix><i>@bench.local} storing the users without a password (no bcrypt per load user),
 * {@code rooms?prefix&count} creates rooms, {@code memory} reports the heap after a full GC and the pid.
 *
 * <p>Minting tokens for any e-mail is an account takeover on a real server, so the profile refuses to start
 * unless the server listens on a loopback address, and answers loopback clients only.
 */
@RestController
@Profile("bench")
@RequestMapping(path = "/bench", produces = MediaType.APPLICATION_JSON_VALUE)
class BenchEndpoints {

    private static final int MAX_COUNT = 100_000;

    private final ChatEngine engine;
    private final UserStore users;

    BenchEndpoints(ChatEngine engine, UserStore users, @Value("${server.address:}") String address) {
        requireLoopback(address);
        this.engine = engine;
        this.users = users;
    }

    private static void requireLoopback(String address) {
        boolean loopback;
        try {
            loopback = !address.isBlank() && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new IllegalStateException("the bench profile mints tokens for anyone: it runs only with "
                    + "server.address on a loopback address, not '" + address + "'");
        }
    }

    @GetMapping("/tokens")
    ResponseEntity<?> tokens(
            HttpServletRequest request,
            @RequestParam(defaultValue = "u") String prefix,
            @RequestParam(defaultValue = "0") int from,
            @RequestParam(defaultValue = "1") int count) {
        if (!fromLoopback(request)) {
            return forbidden();
        }
        int n = Math.max(0, Math.min(count, MAX_COUNT));
        String[] tokens = new String[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = mint(prefix + (from + i) + "@bench.local");
        }
        return ResponseEntity.ok(tokens);
    }

    @GetMapping("/rooms")
    ResponseEntity<?> rooms(
            HttpServletRequest request,
            @RequestParam(defaultValue = "room") String prefix,
            @RequestParam(defaultValue = "1") int count) {
        if (!fromLoopback(request)) {
            return forbidden();
        }
        int n = Math.max(0, Math.min(count, MAX_COUNT));
        for (int i = 0; i < n; i++) {
            try {
                engine.createRoom("bench@bench.local", prefix + i);
            } catch (RoomExistsException e) {
                // created by an earlier run (the H2 file survives restarts) or by another node: fine
            }
        }
        return ResponseEntity.ok(Map.of("ok", true, "rooms", n));
    }

    @GetMapping("/memory")
    ResponseEntity<?> memory(HttpServletRequest request) {
        if (!fromLoopback(request)) {
            return forbidden();
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        // Twice: the first may only promote what the second frees.
        System.gc();
        System.gc();
        return ResponseEntity.ok(Map.of(
                "heapUsed", memory.getHeapMemoryUsage().getUsed(),
                "nonHeapUsed", memory.getNonHeapMemoryUsage().getUsed(),
                "connections", engine.connectionCount(),
                "pid", ProcessHandle.current().pid(),
                "runtime", "java " + Runtime.version()));
    }

    /**
     * An engine token for {@code email}, stored as a user first if need be (the engine issues tokens to registered
     * users only). The stored hash is no bcrypt hash, so nobody can log in as a load user with a password.
     */
    private String mint(String email) {
        try {
            return engine.issueToken(email);
        } catch (UnknownUserException e) {
            try {
                users.create(new User(e.email(), "!bench-user-without-password", Instant.now()));
            } catch (EmailTakenException taken) {
                // minted concurrently, or by another node sharing the store: fine
            }
            return engine.issueToken(email);
        }
    }

    /** A prefix that makes no valid e-mail or room name. */
    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<?> badInput(InvalidInputException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage(), "code", "bad_request"));
    }

    private static boolean fromLoopback(HttpServletRequest request) {
        try {
            return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static ResponseEntity<?> forbidden() {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", "loopback only", "code", "forbidden"));
    }
}
