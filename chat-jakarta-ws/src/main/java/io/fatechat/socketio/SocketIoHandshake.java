package io.fatechat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the client sent when it connected: the HTTP headers and query of the first Engine.IO request, its remote
 * address, and the auth payload of the namespace CONNECT packet ({@code {}} when it sent none).
 *
 * @param headers       request headers, looked up case-insensitively
 * @param query         query parameters of the first request
 * @param remoteAddress the client's address as the container saw it ({@code host:port}), or {@code "unknown"}
 * @param auth          the CONNECT auth payload, a JSON object
 * @param issuedAt      when the Engine.IO connection was opened
 */
public record SocketIoHandshake(Map<String, List<String>> headers, Map<String, List<String>> query,
        String remoteAddress, JsonNode auth, Instant issuedAt) {

    public SocketIoHandshake {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Objects.requireNonNull(headers, "headers").forEach((k, v) -> h.put(k, List.copyOf(v)));
        headers = Collections.unmodifiableMap(h);
        TreeMap<String, List<String>> q = new TreeMap<>();
        Objects.requireNonNull(query, "query").forEach((k, v) -> q.put(k, List.copyOf(v)));
        query = Collections.unmodifiableMap(q);
        remoteAddress = remoteAddress == null ? "unknown" : remoteAddress;
        auth = auth == null ? JsonNodeFactory.instance.objectNode() : auth;
        Objects.requireNonNull(issuedAt, "issuedAt");
    }

    /** The first value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Text field {@code name} of the auth payload, or {@code null} when absent or not text. */
    public String authField(String name) {
        JsonNode v = auth.get(name);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** This handshake with another auth payload (used per namespace). */
    public SocketIoHandshake withAuth(JsonNode newAuth) {
        return new SocketIoHandshake(headers, query, remoteAddress, newAuth, issuedAt);
    }
}
