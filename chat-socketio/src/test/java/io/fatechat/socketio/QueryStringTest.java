package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void parsesRepeatedEscapedAndEmptyParameters() {
        Map<String, List<String>> q = QueryString.parse("EIO=4&transport=polling&t=a%20b&t=c&flag&&x=");
        assertThat(q)
                .containsExactly(
                        Map.entry("EIO", List.of("4")),
                        Map.entry("transport", List.of("polling")),
                        Map.entry("t", List.of("a b", "c")),
                        Map.entry("flag", List.of("")),
                        Map.entry("x", List.of("")));
        assertThat(QueryString.first(q, "t")).isEqualTo("a b");
        assertThat(QueryString.first(q, "sid")).isNull();
    }

    @Test
    void skipsMalformedEscapes() {
        assertThat(QueryString.parse("EIO=4&sid=%zz&transport=polling")).containsOnlyKeys("EIO", "transport");
        assertThat(QueryString.parse(null)).isEmpty();
        assertThat(QueryString.parse("")).isEmpty();
    }
}
