package io.fatechat.socketio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The Engine.IO v4 parser (as engine.io-parser): one packet per WebSocket message, several per polling body
 * separated by {@value #SEPARATOR_NAME}, binary data base64-encoded with a {@code b} prefix in polling bodies.
 * Pure functions; nothing here knows a transport.
 */
final class EngineParser {

    /** The record separator between the packets of a polling payload. */
    static final char SEPARATOR = '\u001e';

    static final String SEPARATOR_NAME = "U+001E";

    private EngineParser() {}

    /**
     * One decoded packet: a text packet (type and data after the digit), a binary message (type
     * {@link EnginePacketType#MESSAGE}, {@code binary} set), or an error ({@code type} null, {@code error} set).
     */
    record Packet(EnginePacketType type, String data, byte[] binary, String error) {

        static Packet text(EnginePacketType type, String data) {
            return new Packet(type, data, null, null);
        }

        static Packet binary(byte[] data) {
            return new Packet(EnginePacketType.MESSAGE, null, data, null);
        }

        static Packet error(String what) {
            return new Packet(null, null, null, what);
        }

        boolean isError() {
            return error != null;
        }

        boolean isBinary() {
            return binary != null;
        }
    }

    /** Decodes the text of one WebSocket message. */
    static Packet decodePacket(String text) {
        return decodeText(text, 0, text.length());
    }

    private static Packet decodeText(String s, int start, int end) {
        if (start >= end) {
            return Packet.error("empty packet");
        }
        char code = s.charAt(start);
        EnginePacketType type = EnginePacketType.of(code);
        if (type == null) {
            return Packet.error("unknown Engine.IO packet type '" + code + "'");
        }
        return Packet.text(type, s.substring(start + 1, end));
    }

    /**
     * Decodes a polling request body. Decoding stops at the first invalid packet, which is then the last element
     * (an error), so the packets before it are still handled, as by the Node.js server.
     */
    static List<Packet> decodePayload(String payload) {
        List<Packet> packets = new ArrayList<>(1);
        int start = 0;
        while (start <= payload.length()) {
            int end = payload.indexOf(SEPARATOR, start);
            if (end < 0) {
                end = payload.length();
            }
            Packet p;
            if (start < end && payload.charAt(start) == 'b') {
                try {
                    p = Packet.binary(Base64.getDecoder().decode(payload.substring(start + 1, end)));
                } catch (IllegalArgumentException e) {
                    p = Packet.error("invalid base64 packet");
                }
            } else {
                p = decodeText(payload, start, end);
            }
            packets.add(p);
            if (p.isError()) {
                break;
            }
            start = end + 1;
        }
        return packets;
    }

    /**
     * Encodes queued frames as one polling response body. A {@link Frame#CLOSE} ends the body: nothing after it
     * is sent.
     */
    static byte[] encodePayload(List<Frame> frames) {
        StringBuilder sb = new StringBuilder();
        for (Frame f : frames) {
            if (sb.length() > 0) {
                sb.append(SEPARATOR);
            }
            sb.append(f.pollingSegment());
            if (f == Frame.CLOSE) {
                break;
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@link #encodePayload} of {@code frames} ends the session (it carries a close). */
    static boolean closes(List<Frame> frames) {
        return frames.contains(Frame.CLOSE);
    }

    /** The handshake packet. */
    static String openPacket(String sid, boolean canUpgrade, long pingIntervalMs, long pingTimeoutMs, int maxPayload) {
        return EnginePacketType.OPEN.code() + "{\"sid\":\"" + sid + "\",\"upgrades\":"
                + (canUpgrade ? "[\"websocket\"]" : "[]") + ",\"pingInterval\":" + pingIntervalMs
                + ",\"pingTimeout\":" + pingTimeoutMs + ",\"maxPayload\":" + maxPayload + "}";
    }
}
