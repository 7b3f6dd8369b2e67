package io.fatechat.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Socket.IO v5 parser (as socket.io-parser): encodes packets into Engine.IO message frames and decodes them
 * strictly (a malformed packet is a {@link ProtocolException}). Binary attachments travel as frames of their own
 * after the packet, which holds {@code {"_placeholder":true,"num":n}} in their place.
 */
final class PacketCodec {

    private static final Set<String> RESERVED_EVENTS =
            Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");
    private static final int MAX_ID_DIGITS = 15;

    private final ObjectMapper mapper;
    private final JsonNodeFactory nodes;
    private final SocketIoMetrics metrics;
    private final int maxAttachments;

    PacketCodec(SocketIoMetrics metrics, int maxAttachments) {
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.nodes = mapper.getNodeFactory();
        this.metrics = metrics;
        this.maxAttachments = maxAttachments;
    }

    /** A decoded packet; {@code id} is -1 when absent, {@code data} null when absent. */
    record Packet(PacketType type, String nsp, long id, JsonNode data, int attachments) {}

    /** Thrown for input that breaks the protocol; its message is for the server log only. */
    static final class ProtocolException extends Exception {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message, null, false, false);
        }
    }

    Packet decode(String s) throws ProtocolException {
        int len = s.length();
        if (len == 0) {
            throw new ProtocolException("empty Socket.IO packet");
        }
        PacketType type = PacketType.of(s.charAt(0));
        if (type == null) {
            throw new ProtocolException("unknown Socket.IO packet type");
        }
        int i = 1;
        int attachments = 0;
        if (type.binary()) {
            int dash = s.indexOf('-', i);
            if (dash <= i || dash - i > 4 || !digits(s, i, dash)) {
                throw new ProtocolException("invalid attachment count");
            }
            attachments = Integer.parseInt(s, i, dash, 10);
            if (attachments < 1 || attachments > maxAttachments) {
                throw new ProtocolException("attachment count " + attachments + " out of range");
            }
            i = dash + 1;
        }
        String nsp = "/";
        if (i < len && s.charAt(i) == '/') {
            int comma = s.indexOf(',', i);
            int end = comma < 0 ? len : comma;
            nsp = s.substring(i, end);
            i = comma < 0 ? len : comma + 1;
        }
        long id = -1;
        int j = i;
        while (j < len && Character.isDigit(s.charAt(j)) && s.charAt(j) < 128) {
            j++;
        }
        if (j > i) {
            if (j - i > MAX_ID_DIGITS) {
                throw new ProtocolException("ack id too long");
            }
            id = Long.parseLong(s, i, j, 10);
            i = j;
        }
        JsonNode data = null;
        if (i < len) {
            try {
                data = mapper.readTree(s.substring(i));
            } catch (IOException e) {
                throw new ProtocolException("invalid JSON payload");
            }
        }
        switch (type) {
            case CONNECT:
                if (id >= 0 || (data != null && !data.isObject())) {
                    throw new ProtocolException("invalid CONNECT payload");
                }
                break;
            case DISCONNECT:
                if (id >= 0 || data != null) {
                    throw new ProtocolException("invalid DISCONNECT packet");
                }
                break;
            case EVENT:
            case BINARY_EVENT:
                if (data == null
                        || !data.isArray()
                        || data.isEmpty()
                        || !data.get(0).isTextual()
                        || RESERVED_EVENTS.contains(data.get(0).textValue())) {
                    throw new ProtocolException("invalid EVENT payload");
                }
                break;
            case ACK:
            case BINARY_ACK:
                if (id < 0 || data == null || !data.isArray()) {
                    throw new ProtocolException("invalid ACK packet");
                }
                break;
            default:
                throw new ProtocolException("CONNECT_ERROR from a client");
        }
        return new Packet(type, nsp, id, data, attachments);
    }

    private static boolean digits(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Replaces the attachment placeholders of a binary packet by the received bytes. */
    JsonNode reconstruct(JsonNode node, List<byte[]> attachments) throws ProtocolException {
        if (node.isObject()) {
            JsonNode marker = node.get("_placeholder");
            if (marker != null
                    && marker.asBoolean(false)
                    && node.size() == 2
                    && node.path("num").isInt()) {
                int num = node.get("num").intValue();
                if (num < 0 || num >= attachments.size()) {
                    throw new ProtocolException("attachment placeholder out of range");
                }
                return BinaryNode.valueOf(attachments.get(num));
            }
            ObjectNode o = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode r = reconstruct(e.getValue(), attachments);
                if (r != e.getValue()) {
                    e.setValue(r);
                }
            }
        } else if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int k = 0; k < a.size(); k++) {
                JsonNode c = a.get(k);
                JsonNode r = reconstruct(c, attachments);
                if (r != c) {
                    a.set(k, r);
                }
            }
        }
        return node;
    }

    /** {@code [event, args...]} as JSON. */
    ArrayNode eventData(String event, Object[] args) {
        ArrayNode a = nodes.arrayNode(args.length + 1);
        a.add(event);
        addAll(a, args);
        return a;
    }

    /** {@code [args...]} as JSON. */
    ArrayNode ackData(Object[] args) {
        ArrayNode a = nodes.arrayNode(args.length);
        addAll(a, args);
        return a;
    }

    private void addAll(ArrayNode a, Object[] args) {
        for (Object arg : args) {
            if (arg == null) {
                a.addNull();
            } else if (arg instanceof JsonNode n) {
                a.add(n);
            } else if (arg instanceof String str) {
                a.add(str);
            } else {
                JsonNode n = mapper.valueToTree(arg);
                a.add(n == null ? nodes.nullNode() : n);
            }
        }
    }

    /** Encodes one packet (plus its attachments) into Engine.IO message frames. */
    Frame[] encode(PacketType type, String nsp, long id, JsonNode data) {
        List<byte[]> attachments = null;
        if (data != null && (type == PacketType.EVENT || type == PacketType.ACK)) {
            attachments = new ArrayList<>(0);
            data = extractBinary(data, attachments);
            if (!attachments.isEmpty()) {
                type = type == PacketType.EVENT ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK;
            }
        }
        StringBuilder sb =
                new StringBuilder(64).append(EnginePacketType.MESSAGE.code()).append(type.code());
        boolean binary = type.binary();
        if (binary) {
            sb.append(attachments.size()).append('-');
        }
        if (!"/".equals(nsp)) {
            sb.append(nsp).append(',');
        }
        if (id >= 0) {
            sb.append(id);
        }
        if (data != null) {
            try {
                sb.append(mapper.writeValueAsString(data));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot encode Socket.IO packet: " + e.getOriginalMessage(), e);
            }
        }
        metrics.packetEncoded();
        if (!binary) {
            return new Frame[] {Frame.text(sb.toString())};
        }
        Frame[] frames = new Frame[attachments.size() + 1];
        frames[0] = Frame.text(sb.toString());
        for (int k = 0; k < attachments.size(); k++) {
            frames[k + 1] = Frame.binary(attachments.get(k));
        }
        return frames;
    }

    ObjectNode object() {
        return nodes.objectNode();
    }

    /** Copy-on-write replacement of binary nodes by placeholders; untouched subtrees are shared. */
    private JsonNode extractBinary(JsonNode node, List<byte[]> out) {
        if (node.isBinary()) {
            try {
                out.add(node.binaryValue());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            ObjectNode placeholder = nodes.objectNode();
            placeholder.put("_placeholder", true);
            placeholder.put("num", out.size() - 1);
            return placeholder;
        }
        if (node.isArray()) {
            ArrayNode copy = null;
            for (int k = 0; k < node.size(); k++) {
                JsonNode c = node.get(k);
                JsonNode r = extractBinary(c, out);
                if (r != c && copy == null) {
                    copy = nodes.arrayNode(node.size());
                    for (int m = 0; m < k; m++) {
                        copy.add(node.get(m));
                    }
                }
                if (copy != null) {
                    copy.add(r);
                }
            }
            return copy == null ? node : copy;
        }
        if (node.isObject()) {
            ObjectNode copy = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode r = extractBinary(e.getValue(), out);
                if (r != e.getValue() && copy == null) {
                    copy = nodes.objectNode();
                    for (Iterator<Map.Entry<String, JsonNode>> again = node.fields(); again.hasNext(); ) {
                        Map.Entry<String, JsonNode> prev = again.next();
                        if (prev.getKey().equals(e.getKey())) {
                            break;
                        }
                        copy.set(prev.getKey(), prev.getValue());
                    }
                }
                if (copy != null) {
                    copy.set(e.getKey(), r);
                }
            }
            return copy == null ? node : copy;
        }
        return node;
    }
}
