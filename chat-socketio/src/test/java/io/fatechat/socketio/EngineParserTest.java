package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Engine.IO v4 parser as tables, without a container (as engine.io-parser's own tests). */
class EngineParserTest {

    private static final char SEP = EngineParser.SEPARATOR;

    static Stream<Arguments> packets() {
        return Stream.of(
                Arguments.of("0{\"sid\":\"x\"}", EnginePacketType.OPEN, "{\"sid\":\"x\"}"),
                Arguments.of("1", EnginePacketType.CLOSE, ""),
                Arguments.of("2", EnginePacketType.PING, ""),
                Arguments.of("2probe", EnginePacketType.PING, "probe"),
                Arguments.of("3", EnginePacketType.PONG, ""),
                Arguments.of("3probe", EnginePacketType.PONG, "probe"),
                Arguments.of("4hello", EnginePacketType.MESSAGE, "hello"),
                Arguments.of("4", EnginePacketType.MESSAGE, ""),
                Arguments.of("4€ üñí", EnginePacketType.MESSAGE, "€ üñí"),
                Arguments.of("5", EnginePacketType.UPGRADE, ""),
                Arguments.of("6", EnginePacketType.NOOP, ""));
    }

    @ParameterizedTest
    @MethodSource("packets")
    void decodesEveryPacketType(String wire, EnginePacketType type, String data) {
        EngineParser.Packet p = EngineParser.decodePacket(wire);
        assertThat(p.isError()).isFalse();
        assertThat(p.type()).isEqualTo(type);
        assertThat(p.data()).isEqualTo(data);
        assertThat(Frame.of(type, data).text).isEqualTo(wire);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "empty packet"),
                Arguments.of("7", "unknown Engine.IO packet type '7'"),
                Arguments.of("x", "unknown Engine.IO packet type 'x'"),
                Arguments.of("/4", "unknown Engine.IO packet type '/'"),
                Arguments.of("٤hello", "unknown Engine.IO packet type '٤'"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesMalformedPackets(String wire, String error) {
        EngineParser.Packet p = EngineParser.decodePacket(wire);
        assertThat(p.isError()).isTrue();
        assertThat(p.error()).isEqualTo(error);
    }

    @Test
    void typeDigitsRoundTrip() {
        for (EnginePacketType t : EnginePacketType.values()) {
            assertThat(EnginePacketType.of(t.code())).isSameAs(t);
        }
        assertThat(EnginePacketType.of('7')).isNull();
        assertThat(EnginePacketType.of('\0')).isNull();
    }

    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("4hello", List.of("MESSAGE:hello")),
                Arguments.of("4a" + SEP + "4b" + SEP + "2", List.of("MESSAGE:a", "MESSAGE:b", "PING:")),
                Arguments.of("bAQID", List.of("BINARY:1,2,3")),
                Arguments.of("4a" + SEP + "bAQID" + SEP + "3", List.of("MESSAGE:a", "BINARY:1,2,3", "PONG:")),
                // decoding stops at the first bad packet: those before it are still handled
                Arguments.of(
                        "4a" + SEP + "9" + SEP + "4b", List.of("MESSAGE:a", "ERROR:unknown Engine.IO packet type '9'")),
                Arguments.of("4a" + SEP + SEP + "4b", List.of("MESSAGE:a", "ERROR:empty packet")),
                Arguments.of("", List.of("ERROR:empty packet")),
                Arguments.of("4a" + SEP, List.of("MESSAGE:a", "ERROR:empty packet")),
                Arguments.of("b!!!", List.of("ERROR:invalid base64 packet")));
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void decodesPollingPayloads(String body, List<String> expected) {
        assertThat(EngineParser.decodePayload(body))
                .map(EngineParserTest::describe)
                .isEqualTo(expected);
    }

    private static String describe(EngineParser.Packet p) {
        if (p.isError()) {
            return "ERROR:" + p.error();
        }
        if (p.isBinary()) {
            StringBuilder sb = new StringBuilder("BINARY:");
            for (int i = 0; i < p.binary().length; i++) {
                sb.append(i == 0 ? "" : ",").append(p.binary()[i]);
            }
            return sb.toString();
        }
        return p.type() + ":" + p.data();
    }

    static Stream<Arguments> encodedPayloads() {
        return Stream.of(
                Arguments.of(List.of(Frame.message("a")), "4a"),
                Arguments.of(
                        List.of(Frame.message("a"), Frame.PING, Frame.binary(new byte[] {1, 2, 3})),
                        "4a" + SEP + "2" + SEP + "bAQID"),
                // a close ends the body: what was queued after it is never sent
                Arguments.of(List.of(Frame.message("a"), Frame.CLOSE, Frame.message("b")), "4a" + SEP + "1"),
                Arguments.of(List.of(Frame.NOOP), "6"));
    }

    @ParameterizedTest
    @MethodSource("encodedPayloads")
    void encodesPollingPayloads(List<Frame> frames, String body) {
        assertThat(new String(EngineParser.encodePayload(frames), StandardCharsets.UTF_8))
                .isEqualTo(body);
        assertThat(EngineParser.closes(frames)).isEqualTo(frames.contains(Frame.CLOSE));
    }

    @Test
    void encodesTheHandshake() {
        assertThat(EngineParser.openPacket("abc", true, 25000, 20000, 1000000))
                .isEqualTo(
                        "0{\"sid\":\"abc\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,"
                                + "\"maxPayload\":1000000}");
        assertThat(EngineParser.openPacket("abc", false, 300, 200, 16))
                .isEqualTo(
                        "0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":16}");
    }

    @Test
    void binaryFramesAreBase64EncodedOnceForPolling() {
        Frame f = Frame.binary(new byte[] {(byte) 0xff, 0, 1});
        assertThat(f.pollingSegment()).isEqualTo("b/wAB").isSameAs(f.pollingSegment());
    }
}
