package io.fatechat.ws;

import io.fatechat.socketio.ClientAddressResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Immutable settings of the REST API ({@link ChatRestServlet}). Build with {@link #builder()}; every setter checks
 * its value and names it in the error.
 *
 * <p>Defaults: bodies up to 64 KiB, which must arrive within 10 s; same-origin browsers only; per client address
 * at most 30 login or register attempts a minute; per account at most 10 login attempts in 15 minutes (a
 * successful login starts the count again); per user at most 20 new rooms an hour; room lists of at most 1,000
 * rooms a page.
 */
public final class ChatRestConfig {

    /** Allows every browser origin when passed to {@link Builder#allowedOrigins}. */
    public static final String ANY_ORIGIN = "*";

    private static final Pattern ORIGIN = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://[^/?#\\s]+");

    private final int maxBodySize;
    private final Duration bodyTimeout;
    private final Set<String> allowedOrigins;
    private final int attemptsPerAddress;
    private final Duration addressWindow;
    private final int attemptsPerAccount;
    private final Duration accountWindow;
    private final int roomsPerUser;
    private final Duration roomsWindow;
    private final int maxRoomPage;
    private final List<String> trustedProxies;

    private ChatRestConfig(Builder b) {
        this.maxBodySize = b.maxBodySize;
        this.bodyTimeout = b.bodyTimeout;
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.attemptsPerAddress = b.attemptsPerAddress;
        this.addressWindow = b.addressWindow;
        this.attemptsPerAccount = b.attemptsPerAccount;
        this.accountWindow = b.accountWindow;
        this.roomsPerUser = b.roomsPerUser;
        this.roomsWindow = b.roomsWindow;
        this.maxRoomPage = b.maxRoomPage;
        this.trustedProxies = List.copyOf(b.trustedProxies);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ChatRestConfig defaults() {
        return builder().build();
    }

    /** The largest accepted request body in bytes; larger gets 413. */
    public int maxBodySize() {
        return maxBodySize;
    }

    /** How long a client may take to send a request body; slower gets 408 and no thread waits for it. */
    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    /**
     * Browser origins ({@code scheme://host[:port]}, lower case) allowed to call the API besides the server's own;
     * {@value #ANY_ORIGIN} allows all. Requests without an {@code Origin} header (non-browser clients) are always
     * allowed. The same list as the Socket.IO endpoint's.
     */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Login and register attempts one client address may make per {@link #addressWindow()}. */
    public int attemptsPerAddress() {
        return attemptsPerAddress;
    }

    public Duration addressWindow() {
        return addressWindow;
    }

    /** Login attempts one account may see per {@link #accountWindow()}; a successful login resets the count. */
    public int attemptsPerAccount() {
        return attemptsPerAccount;
    }

    public Duration accountWindow() {
        return accountWindow;
    }

    /** Rooms one user may create per {@link #roomsWindow()}; more get 429. */
    public int roomsPerUser() {
        return roomsPerUser;
    }

    public Duration roomsWindow() {
        return roomsWindow;
    }

    /** The most rooms one {@code GET /api/chat} answers (the page size when {@code limit} is not given). */
    public int maxRoomPage() {
        return maxRoomPage;
    }

    /**
     * The proxies whose {@code X-Forwarded-For} names the client for the login throttle and the logs (as for the
     * Socket.IO endpoint); empty: the direct peer is the client.
     */
    public List<String> trustedProxies() {
        return trustedProxies;
    }

    @Override
    public String toString() {
        return "ChatRestConfig[maxBodySize=" + maxBodySize + ", bodyTimeout=" + bodyTimeout + ", allowedOrigins="
                + allowedOrigins + ", attemptsPerAddress=" + attemptsPerAddress + "/" + addressWindow
                + ", attemptsPerAccount=" + attemptsPerAccount + "/" + accountWindow + ", roomsPerUser=" + roomsPerUser
                + "/" + roomsWindow + ", maxRoomPage=" + maxRoomPage + ", trustedProxies=" + trustedProxies + "]";
    }

    /** Builds a {@link ChatRestConfig}; each setter rejects a bad value with a message that names it. */
    public static final class Builder {
        private int maxBodySize = 64 * 1024;
        private Duration bodyTimeout = Duration.ofSeconds(10);
        private Set<String> allowedOrigins = new LinkedHashSet<>();
        private int attemptsPerAddress = 30;
        private Duration addressWindow = Duration.ofMinutes(1);
        private int attemptsPerAccount = 10;
        private Duration accountWindow = Duration.ofMinutes(15);
        private int roomsPerUser = 20;
        private Duration roomsWindow = Duration.ofHours(1);
        private int maxRoomPage = 1_000;
        private List<String> trustedProxies = List.of();

        private Builder() {}

        public Builder maxBodySize(int maxBodySize) {
            if (maxBodySize < 256 || maxBodySize > 64 * 1024 * 1024) {
                throw new IllegalArgumentException(
                        "maxBodySize must be between 256 bytes and 64 MiB, was " + maxBodySize);
            }
            this.maxBodySize = maxBodySize;
            return this;
        }

        public Builder bodyTimeout(Duration bodyTimeout) {
            this.bodyTimeout = between("bodyTimeout", bodyTimeout, Duration.ofMillis(100), Duration.ofMinutes(10));
            return this;
        }

        /** Replaces the allowed origins: each {@value #ANY_ORIGIN} or {@code scheme://host[:port]} without a path. */
        public Builder allowedOrigins(Iterable<String> origins) {
            Objects.requireNonNull(origins, "origins");
            Set<String> set = new LinkedHashSet<>();
            for (String o : origins) {
                String v = o == null ? "" : o.strip();
                if (!v.equals(ANY_ORIGIN) && !ORIGIN.matcher(v).matches()) {
                    throw new IllegalArgumentException(
                            "allowed origin must be '*' or scheme://host[:port] without a path, got '" + o + "'");
                }
                set.add(v.toLowerCase(Locale.ROOT));
            }
            this.allowedOrigins = set;
            return this;
        }

        public Builder allowedOrigins(String... origins) {
            return allowedOrigins(Arrays.asList(Objects.requireNonNull(origins, "origins")));
        }

        /** At most {@code attempts} login and register calls per client address in each {@code window}. */
        public Builder attemptsPerAddress(int attempts, Duration window) {
            this.attemptsPerAddress = positive("attemptsPerAddress", attempts);
            this.addressWindow = between("addressWindow", window, Duration.ofSeconds(1), Duration.ofDays(1));
            return this;
        }

        /** At most {@code attempts} login calls per account in each {@code window}. */
        public Builder attemptsPerAccount(int attempts, Duration window) {
            this.attemptsPerAccount = positive("attemptsPerAccount", attempts);
            this.accountWindow = between("accountWindow", window, Duration.ofSeconds(1), Duration.ofDays(1));
            return this;
        }

        /** At most {@code rooms} room creations per user in each {@code window}. */
        public Builder roomsPerUser(int rooms, Duration window) {
            this.roomsPerUser = positive("roomsPerUser", rooms);
            this.roomsWindow = between("roomsWindow", window, Duration.ofSeconds(1), Duration.ofDays(1));
            return this;
        }

        public Builder maxRoomPage(int maxRoomPage) {
            if (maxRoomPage < 1 || maxRoomPage > 100_000) {
                throw new IllegalArgumentException("maxRoomPage must be between 1 and 100000, was " + maxRoomPage);
            }
            this.maxRoomPage = maxRoomPage;
            return this;
        }

        /** Replaces the trusted proxies: addresses or CIDR blocks ({@code 10.0.0.0/8}, {@code ::1}). */
        public Builder trustedProxies(Iterable<String> proxies) {
            Objects.requireNonNull(proxies, "proxies");
            List<String> list = new ArrayList<>();
            proxies.forEach(list::add);
            ClientAddressResolver.of(list); // names a bad entry
            this.trustedProxies = List.copyOf(list);
            return this;
        }

        public Builder trustedProxies(String... proxies) {
            return trustedProxies(Arrays.asList(Objects.requireNonNull(proxies, "proxies")));
        }

        public ChatRestConfig build() {
            return new ChatRestConfig(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }

        private static Duration between(String name, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }
    }
}
