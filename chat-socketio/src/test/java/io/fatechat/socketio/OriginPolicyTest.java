package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Origin matching as a table, without a container. */
class OriginPolicyTest {

    private static final OriginPolicy SAME_ORIGIN = new OriginPolicy(Set.of());
    private static final OriginPolicy LISTED =
            new OriginPolicy(Set.of("https://chat.example", "http://localhost:3000"));
    private static final OriginPolicy LISTED_WITH_PORT = new OriginPolicy(Set.of("https://chat.example:443"));
    private static final OriginPolicy ANY = new OriginPolicy(Set.of(SocketIoConfig.ANY_ORIGIN));

    @ParameterizedTest(name = "same origin: Origin {0}, Host {1} -> {2}")
    @CsvSource(
            nullValues = "NULL",
            value = {
                "NULL,                     chat.example,      true", // not a browser
                "https://chat.example,     chat.example,      true",
                "https://chat.example,     chat.example:443,  true",
                "http://chat.example,      chat.example,      true",
                "http://chat.example:8080, chat.example:8080, true",
                "HTTP://Chat.Example:8080, CHAT.example:8080, true", // case does not matter
                "http://chat.example:8080, chat.example,      false", // port differs
                "https://chat.example,     chat.example:80,   false",
                "https://evil.example,     chat.example,      false",
                "https://chat.example.evil.example, chat.example, false",
                "https://chat.example,     NULL,              false", // no Host: nothing to compare with
                "null,                     chat.example,      false", // sandboxed frames send the text null
                "not a url,                chat.example,      false",
                "https://chat.example,     chat.example:abc,  false",
                "http://[::1]:3000,        [::1]:3000,        true",
            })
    void sameOriginOnlyByDefault(String origin, String host, boolean allowed) {
        assertThat(SAME_ORIGIN.allows(origin, host)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "allowlist: Origin {0}, Host {1} -> {2}")
    @CsvSource(
            nullValues = "NULL",
            value = {
                "https://chat.example,   other.example,  true",
                "HTTPS://CHAT.EXAMPLE,   other.example,  true",
                " https://chat.example , other.example,  true",
                "http://localhost:3000,  other.example,  true",
                "http://localhost:3001,  other.example,  false",
                "https://evil.example,   other.example,  false",
                "NULL,                   other.example,  true",
                // exact on scheme, host and port, however the default port is written
                "https://chat.example:443, other.example, true",
                "http://chat.example,    other.example,  false",
                "https://chat.example:8443, other.example, false",
                "http://localhost,       other.example,  false",
                "https://user@chat.example, other.example, false",
            })
    void allowlistedOrigins(String origin, String host, boolean allowed) {
        assertThat(LISTED.allows(origin, host)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"https://chat.example, true", "https://chat.example:443, true", "http://chat.example:443, false"})
    void allowlistEntriesWithTheDefaultPortMatchToo(String origin, boolean allowed) {
        assertThat(LISTED_WITH_PORT.allows(origin, "other.example")).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "NULL",
            value = {"https://evil.example, chat.example", "null, NULL", "NULL, NULL"})
    void anyOriginAllowsEverything(String origin, String host) {
        assertThat(ANY.allows(origin, host)).isTrue();
    }
}
