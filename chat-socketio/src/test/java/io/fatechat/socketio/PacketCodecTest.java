package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Socket.IO v5 parser as tables, without a container (as socket.io-parser's own tests). */
class PacketCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final PacketCodec codec = new PacketCodec(metrics, 3);

    private static JsonNode json(String s) {
        try {
            return s == null ? null : JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    /** wire (without the Engine.IO digit), type, namespace, ack id, data. */
    static Stream<Arguments> roundTrips() {
        return Stream.of(
                Arguments.of("0", PacketType.CONNECT, "/", -1L, null),
                Arguments.of("0{\"token\":\"123\"}", PacketType.CONNECT, "/", -1L, "{\"token\":\"123\"}"),
                Arguments.of("0/woot,{\"token\":\"123\"}", PacketType.CONNECT, "/woot", -1L, "{\"token\":\"123\"}"),
                Arguments.of("1/woot,", PacketType.DISCONNECT, "/woot", -1L, null),
                Arguments.of("2[\"a\",1,{}]", PacketType.EVENT, "/", -1L, "[\"a\",1,{}]"),
                Arguments.of("2/test,1[\"a\",1,{}]", PacketType.EVENT, "/test", 1L, "[\"a\",1,{}]"),
                Arguments.of("212[\"a\"]", PacketType.EVENT, "/", 12L, "[\"a\"]"),
                Arguments.of("3123[\"a\",1,{}]", PacketType.ACK, "/", 123L, "[\"a\",1,{}]"),
                Arguments.of("3/admin,0[]", PacketType.ACK, "/admin", 0L, "[]"),
                Arguments.of(
                        "4{\"message\":\"Unauthorized\"}",
                        PacketType.CONNECT_ERROR,
                        "/",
                        -1L,
                        "{\"message\":\"Unauthorized\"}"));
    }

    @ParameterizedTest
    @MethodSource("roundTrips")
    void encodes(String wire, PacketType type, String nsp, long id, String data) {
        Frame[] frames = codec.encode(type, nsp, id, json(data));
        assertThat(frames).hasSize(1);
        assertThat(frames[0].text).isEqualTo("4" + wire);
    }

    @ParameterizedTest
    @MethodSource("roundTrips")
    void decodes(String wire, PacketType type, String nsp, long id, String data) throws Exception {
        if (type == PacketType.CONNECT_ERROR) {
            // only servers send it
            assertThatThrownBy(() -> codec.decode(wire)).hasMessage("CONNECT_ERROR from a client");
            return;
        }
        PacketCodec.Packet p = codec.decode(wire);
        assertThat(p.type()).isEqualTo(type);
        assertThat(p.nsp()).isEqualTo(nsp);
        assertThat(p.id()).isEqualTo(id);
        assertThat(p.data()).isEqualTo(json(data));
        assertThat(p.attachments()).isZero();
    }

    @Test
    void typeDigitsRoundTrip() {
        for (PacketType t : PacketType.values()) {
            assertThat(PacketType.of(t.code())).isSameAs(t);
            assertThat(t.code()).isEqualTo((char) ('0' + t.ordinal()));
        }
        assertThat(PacketType.of('7')).isNull();
    }

    @Test
    void encodesBinaryArgumentsAsAttachments() {
        byte[] a = {1, 2};
        byte[] b = {3};
        Frame[] frames =
                codec.encode(PacketType.EVENT, "/", -1, codec.eventData("up", new Object[] {a, Map.of("k", b)}));
        assertThat(frames).hasSize(3);
        assertThat(frames[0].text)
                .isEqualTo("452-[\"up\",{\"_placeholder\":true,\"num\":0},{\"k\":{\"_placeholder\":true,\"num\":1}}]");
        assertThat(frames[1].binary).containsExactly(a);
        assertThat(frames[2].binary).containsExactly(b);

        Frame[] ack = codec.encode(PacketType.ACK, "/chat", 7, codec.ackData(new Object[] {a}));
        assertThat(ack[0].text).isEqualTo("461-/chat,7[{\"_placeholder\":true,\"num\":0}]");
        assertThat(ack[1].binary).containsExactly(a);
    }

    @Test
    void decodesBinaryPacketsAndReconstructsTheirAttachments() throws Exception {
        PacketCodec.Packet p = codec.decode(
                "52-/chat,5[\"up\",{\"_placeholder\":true,\"num\":1},[{\"_placeholder\":true,\"num\":0}]]");
        assertThat(p.type()).isEqualTo(PacketType.BINARY_EVENT);
        assertThat(p.nsp()).isEqualTo("/chat");
        assertThat(p.id()).isEqualTo(5);
        assertThat(p.attachments()).isEqualTo(2);
        JsonNode data = codec.reconstruct(p.data(), List.of(new byte[] {9}, new byte[] {8, 7}));
        assertThat(data.get(1)).isEqualTo(BinaryNode.valueOf(new byte[] {8, 7}));
        assertThat(data.get(2).get(0)).isEqualTo(BinaryNode.valueOf(new byte[] {9}));

        PacketCodec.Packet ack = codec.decode("61-3[{\"_placeholder\":true,\"num\":0}]");
        assertThat(ack.type()).isEqualTo(PacketType.BINARY_ACK);
        assertThat(ack.id()).isEqualTo(3);
        assertThat(ack.attachments()).isEqualTo(1);
    }

    @Test
    void placeholderOutOfRangeIsRefused() throws Exception {
        PacketCodec.Packet p = codec.decode("51-[\"up\",{\"_placeholder\":true,\"num\":1}]");
        assertThatThrownBy(() -> codec.reconstruct(p.data(), new ArrayList<>(List.of(new byte[] {1}))))
                .hasMessage("attachment placeholder out of range");
    }

    @Test
    void broadcastsEncodeOnceAndCountIt() {
        codec.encode(PacketType.EVENT, "/", -1, codec.eventData("e", new Object[] {"x"}));
        assertThat(metrics.encoded).hasValue(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", // empty
                "9", // unknown type
                "7[\"a\"]", // unknown type
                "442[\"some\",\"data\"", // truncated JSON
                "0/admin,\"invalid\"", // CONNECT payload not an object
                "0[]", // CONNECT payload not an object
                "01{}", // CONNECT with an ack id
                "1/admin,{}", // DISCONNECT with data
                "2/admin,\"invalid", // bad JSON
                "2/admin,{}", // EVENT not an array
                "2[]", // EVENT without a name
                "2[{\"toString\":\"foo\"}]", // event name not a string
                "2[true,\"foo\"]",
                "2[null,\"bar\"]",
                "2[\"connect\"]", // reserved event names
                "2[\"disconnect\",\"123\"]",
                "2[\"a\"] trailing", // trailing tokens
                "3[\"a\"]", // ACK without id
                "31", // ACK without data
                "31{}", // ACK data not an array
                "21234567890123456[\"a\"]", // ack id of 16 digits
                "4{\"message\":\"x\"}", // CONNECT_ERROR from a client
                "5", // attachments: count missing
                "51",
                "5a-",
                "51.23-",
                "50-[\"a\"]", // zero attachments
                "54-[\"a\"]", // more than maxAttachments (3)
                "512345-[\"a\"]", // count of five digits
            })
    void refusesMalformedPackets(String wire) {
        assertThatThrownBy(() -> codec.decode(wire)).isInstanceOf(PacketCodec.ProtocolException.class);
    }

    @Test
    void protocolErrorsNameWhatWasWrongForTheLog() {
        assertThatThrownBy(() -> codec.decode("54-[\"a\"]")).hasMessage("attachment count 4 out of range");
        assertThatThrownBy(() -> codec.decode("9")).hasMessage("unknown Socket.IO packet type");
        assertThatThrownBy(() -> codec.decode("2[\"connect\"]")).hasMessage("invalid EVENT payload");
        assertThat(Arrays.asList(PacketType.values())).hasSize(7);
    }
}
