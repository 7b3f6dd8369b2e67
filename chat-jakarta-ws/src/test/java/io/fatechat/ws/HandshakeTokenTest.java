package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fatechat.socketio.SocketIoHandshake;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HandshakeTokenTest {

    private static SocketIoHandshake handshake(String authToken, String authorization, String queryToken) {
        ObjectNode auth = JsonNodeFactory.instance.objectNode();
        if (authToken != null) {
            auth.put("token", authToken);
        }
        Map<String, List<String>> headers =
                authorization == null ? Map.of() : Map.of("authorization", List.of(authorization));
        Map<String, List<String>> query = queryToken == null ? Map.of() : Map.of("token", List.of(queryToken));
        return new SocketIoHandshake(headers, query, "127.0.0.1:1234", auth, Instant.EPOCH);
    }

    @Test
    void authPayloadWinsOverHeaderAndQuery() {
        assertThat(HandshakeToken.of(handshake("from-auth", "Bearer from-header", "from-query")))
                .isEqualTo("from-auth");
    }

    @Test
    void headerWinsOverQuery() {
        assertThat(HandshakeToken.of(handshake(null, "Bearer from-header", "from-query")))
                .isEqualTo("from-header");
    }

    @Test
    void queryIsTheLastResort() {
        assertThat(HandshakeToken.of(handshake(null, null, "from-query"))).isEqualTo("from-query");
    }

    @Test
    void blankValuesCountAsAbsent() {
        assertThat(HandshakeToken.of(handshake(" ", "Bearer  ", "from-query"))).isEqualTo("from-query");
        assertThat(HandshakeToken.of(handshake("", "", ""))).isNull();
        assertThat(HandshakeToken.of(handshake(null, null, null))).isNull();
    }

    @Test
    void nonTextAuthTokenIsIgnored() {
        ObjectNode auth = JsonNodeFactory.instance.objectNode().put("token", 42);
        SocketIoHandshake h = new SocketIoHandshake(Map.of(), Map.of("token", List.of("q")), null, auth, Instant.EPOCH);
        assertThat(HandshakeToken.of(h)).isEqualTo("q");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Bearer abc.def|abc.def",
                "BEARER abc.def|abc.def",
                "bearer   abc.def|abc.def",
                "abc.def|abc.def",
                "  abc.def  |abc.def",
                "Bearerabc|Bearerabc",
                "Bearer|",
            })
    void authorizationHeaderWithOrWithoutBearerInAnyCase(String header, String expected) {
        assertThat(BearerToken.fromAuthorizationHeader(header)).isEqualTo(expected);
    }

    @Test
    void headerNameIsCaseInsensitive() {
        SocketIoHandshake h = new SocketIoHandshake(
                Map.of("AUTHORIZATION", List.of("Bearer t")), Map.of(), null, null, Instant.EPOCH);
        assertThat(HandshakeToken.of(h)).isEqualTo("t");
    }
}
