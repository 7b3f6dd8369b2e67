package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which address a request counts as (issue 12, row 8): X-Forwarded-For is believed from trusted proxies only. */
class ClientAddressResolverTest {

    @ParameterizedTest(name = "trusted [{0}], peer {1}, X-Forwarded-For [{2}] -> {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "NONE",
            value = {
                // no trusted proxy: the header is the client's word, never believed
                "                         | 203.0.113.7 | 198.51.100.1              | 203.0.113.7",
                // a peer that is not a trusted proxy: same
                "10.0.0.0/8               | 203.0.113.7 | 198.51.100.1              | 203.0.113.7",
                // a trusted proxy without the header: the proxy itself
                "10.0.0.0/8               | 10.1.2.3    | NONE                      | 10.1.2.3",
                // the hop the trusted proxy appended
                "10.0.0.0/8               | 10.1.2.3    | 198.51.100.1              | 198.51.100.1",
                // the client's own entries left of it are ignored, so it cannot pick its address
                "10.0.0.0/8               | 10.1.2.3    | 1.1.1.1, 2.2.2.2, 198.51.100.1 | 198.51.100.1",
                // a chain of trusted proxies is walked from the right
                "10.0.0.0/8;192.168.0.5   | 10.1.2.3    | 198.51.100.1, 192.168.0.5 | 198.51.100.1",
                // a single address as a trusted proxy
                "127.0.0.1                | 127.0.0.1   | 198.51.100.1              | 198.51.100.1",
                // every hop trusted: the left-most
                "10.0.0.0/8               | 10.1.2.3    | 10.9.9.9, 10.8.8.8        | 10.9.9.9",
                // a hop that is no address ends the walk at the last trusted address
                "10.0.0.0/8               | 10.1.2.3    | 198.51.100.1, evil.example | 10.1.2.3",
                "10.0.0.0/8               | 10.1.2.3    | unknown                   | 10.1.2.3",
                // hops with ports
                "10.0.0.0/8               | 10.1.2.3    | 198.51.100.1:4711         | 198.51.100.1",
                "10.0.0.0/8               | 10.1.2.3    | [2001:db8::1]:4711        | 2001:db8:0:0:0:0:0:1",
                // IPv6 proxies and clients
                "::1                      | 0:0:0:0:0:0:0:1 | 2001:db8::7           | 2001:db8:0:0:0:0:0:7",
                "fd00::/8                 | fd12::1     | 198.51.100.1              | 198.51.100.1",
                // a prefix boundary: 10.0.0.0/31 holds .0 and .1, not .2
                "10.0.0.0/31              | 10.0.0.1    | 198.51.100.1              | 198.51.100.1",
                "10.0.0.0/31              | 10.0.0.2    | 198.51.100.1              | 10.0.0.2",
            })
    void resolves(String trusted, String peer, String forwardedFor, String expected) {
        List<String> proxies = trusted == null ? List.of() : List.of(trusted.split(";"));
        ClientAddressResolver resolver = ClientAddressResolver.of(proxies);
        assertThat(resolver.resolve(
                        peer, Collections.enumeration(forwardedFor == null ? List.of() : List.of(forwardedFor))))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "proxy.example", "10.0.0.0/33", "::1/129", "10.0.0/8", "256.0.0.1", "10.0.0.1/x"})
    void refusesWhatIsNoAddressOrBlock(String spec) {
        assertThatThrownBy(() -> EngineIoConfig.builder().trustedProxies(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trusted proxy");
    }
}
