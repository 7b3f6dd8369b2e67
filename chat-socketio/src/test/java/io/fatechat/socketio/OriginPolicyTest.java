package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Origin matching as a table, without a container. The request is given as the container resolved it (scheme,
 * server name, server port), never as a raw Host header.
 */
class OriginPolicyTest {

    private static final OriginPolicy SAME_ORIGIN = new OriginPolicy(Set.of());
    private static final OriginPolicy LISTED =
            new OriginPolicy(Set.of("https://chat.example", "http://localhost:3000"));
    private static final OriginPolicy LISTED_WITH_PORT = new OriginPolicy(Set.of("https://chat.example:443"));
    private static final OriginPolicy ANY = new OriginPolicy(Set.of(SocketIoConfig.ANY_ORIGIN));

    @ParameterizedTest(name = "same origin: Origin {0}, request {1}://{2}:{3} -> {4}")
    @CsvSource(
            nullValues = "NULL",
            value = {
                "NULL,                     https, chat.example, 443,  true", // not a browser
                "https://chat.example,     https, chat.example, 443,  true",
                "https://chat.example:443, https, chat.example, 443,  true",
                "http://chat.example,      http,  chat.example, 80,   true",
                "http://chat.example:8080, http,  chat.example, 8080, true",
                "HTTP://Chat.Example:8080, http,  CHAT.example, 8080, true", // case does not matter
                // the scheme counts: an http page may not open a session of the https endpoint, nor the reverse
                "http://chat.example,      https, chat.example, 443,  false",
                "http://chat.example:443,  https, chat.example, 443,  false",
                "https://chat.example,     http,  chat.example, 80,   false",
                // the port counts
                "http://chat.example:8080, http,  chat.example, 80,   false",
                "https://chat.example,     https, chat.example, 8443, false",
                // the host counts
                "https://evil.example,     https, chat.example, 443,  false",
                "https://chat.example.evil.example, https, chat.example, 443, false",
                // nothing known about the request: no same-origin match
                "https://chat.example,     NULL,  NULL,         -1,   false",
                "https://chat.example,     https, NULL,         443,  false",
                "null,                     https, chat.example, 443,  false", // sandboxed frames send the text null
                "not a url,                https, chat.example, 443,  false",
                "https://user@chat.example, https, chat.example, 443, false",
                "https://chat.example/path, https, chat.example, 443, false",
                // IPv6 literals, bracketed or not as the container gives them
                "http://[::1]:3000,        http,  [::1],        3000, true",
                "http://[::1]:3000,        http,  ::1,          3000, true",
                "http://[::1]:3001,        http,  [::1],        3000, false",
            })
    void sameOriginIsSchemeHostAndPortOfTheRequest(
            String origin, String scheme, String serverName, int serverPort, boolean allowed) {
        assertThat(SAME_ORIGIN.allows(origin, scheme, serverName, serverPort)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "allowlist: Origin {0} -> {1}")
    @CsvSource(
            nullValues = "NULL",
            value = {
                "https://chat.example,   true",
                "HTTPS://CHAT.EXAMPLE,   true",
                " https://chat.example , true",
                "http://localhost:3000,  true",
                "http://localhost:3001,  false",
                "https://evil.example,   false",
                "NULL,                   true",
                // exact on scheme, host and port, however the default port is written
                "https://chat.example:443, true",
                "http://chat.example,    false",
                "https://chat.example:8443, false",
                "http://localhost,       false",
                "https://user@chat.example, false",
            })
    void allowlistedOrigins(String origin, boolean allowed) {
        assertThat(LISTED.allows(origin, "https", "other.example", 443)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"https://chat.example, true", "https://chat.example:443, true", "http://chat.example:443, false"})
    void allowlistEntriesWithTheDefaultPortMatchToo(String origin, boolean allowed) {
        assertThat(LISTED_WITH_PORT.allows(origin, "https", "other.example", 443))
                .isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "NULL",
            value = {"https://evil.example, chat.example", "null, NULL", "NULL, NULL"})
    void anyOriginAllowsEverything(String origin, String serverName) {
        assertThat(ANY.allows(origin, "https", serverName, 443)).isTrue();
    }
}
