package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fatechat.spi.ErrorCode;
import io.fatechat.spi.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPayloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RequestPayload payload(String json) throws Exception {
        return RequestPayload.of(JSON.readTree(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"General\"", "42", "[1]", "null", "true"})
    void refusesEverythingButAnObject(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        assertThatThrownBy(() -> RequestPayload.of(node)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(e.field()).isEqualTo("payload");
            assertThat(e.getMessage()).startsWith("payload: must be a JSON object");
        });
    }

    @Test
    void refusesAMissingPayload() {
        assertThatThrownBy(() -> RequestPayload.of(null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("payload: must be a JSON object, was missing");
    }

    @Test
    void readsRequiredAndOptionalStrings() throws Exception {
        RequestPayload p = payload("{\"roomName\":\"General\",\"clientId\":\"c-1\"}");
        assertThat(p.requiredString("roomName")).isEqualTo("General");
        assertThat(p.optionalString("clientId")).isEqualTo("c-1");
        assertThat(payload("{\"clientId\":null}").optionalString("clientId")).isNull();
        assertThat(payload("{}").optionalString("clientId")).isNull();
    }

    @Test
    void refusesMissingEmptyAndWrongTypedStrings() throws Exception {
        assertThatThrownBy(() -> payload("{}").requiredString("roomName"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("roomName: is required");
        assertThatThrownBy(() -> payload("{\"roomName\":null}").requiredString("roomName"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("roomName: is required");
        assertThatThrownBy(() -> payload("{\"roomName\":\"\"}").requiredString("roomName"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("roomName: must not be empty");
        assertThatThrownBy(() -> payload("{\"roomName\":7}").requiredString("roomName"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("roomName: must be a string, was the number 7");
        assertThatThrownBy(() -> payload("{\"message\":{\"a\":1}}").requiredString("message"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("message: must be a string, was an object");
        assertThatThrownBy(() -> payload("{\"clientId\":[]}").optionalString("clientId"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("clientId: must be a string, was an array");
    }

    @Test
    void readsPositiveIntegers() throws Exception {
        assertThat(payload("{\"count\":10}").requiredPositiveInt("count")).isEqualTo(10);
        assertThat(payload("{\"count\":10.0}").requiredPositiveInt("count")).isEqualTo(10);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"count\":null}",
                "{\"count\":\"10\"}",
                "{\"count\":1.5}",
                "{\"count\":0}",
                "{\"count\":-3}",
                "{\"count\":99999999999999999999}",
                "{\"count\":true}"
            })
    void refusesBadCounts(String json) throws Exception {
        RequestPayload p = payload(json);
        assertThatThrownBy(() -> p.requiredPositiveInt("count"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("count");
                    assertThat(e.getMessage()).startsWith("count: ").hasSizeLessThan(80);
                });
    }
}
