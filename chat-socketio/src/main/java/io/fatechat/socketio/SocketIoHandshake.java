package io.fatechat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the client sent when it connected: the HTTP headers and query of the first Engine.IO request, its remote
 * address, and the auth payload of the namespace CONNECT packet ({@code {}} when it sent none).
 *
 * @param headers       request headers, looked up case-insensitively (without those of the WebSocket upgrade
 *                      mechanics: {@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-Key/-Version/-Extensions})
 * @param query         query parameters of the first request
 * @param remoteAddress the client's address as the container saw it ({@code host:port}), or {@code "unknown"}
 * @param auth          the CONNECT auth payload, a JSON object
 * @param issuedAt      when the Engine.IO connection was opened
 */
public record SocketIoHandshake(
        Map<String, List<String>> headers,
        Map<String, List<String>> query,
        String remoteAddress,
        JsonNode auth,
        Instant issuedAt) {

    public SocketIoHandshake {
        headers = headers instanceof Frozen<List<String>> frozen
                ? frozen
                : Frozen.copyOf(
                        Objects.requireNonNull(headers, "headers"), String.CASE_INSENSITIVE_ORDER, DROPPED_HEADERS);
        query = query instanceof Frozen<List<String>> frozen
                ? frozen
                : Frozen.copyOf(Objects.requireNonNull(query, "query"), null, Set.of());
        remoteAddress = remoteAddress == null ? "unknown" : remoteAddress;
        auth = auth == null ? JsonNodeFactory.instance.objectNode() : auth;
        Objects.requireNonNull(issuedAt, "issuedAt");
    }

    /**
     * The headers of the WebSocket upgrade itself, of no use once it is done: not kept, since every connection
     * holds its handshake for its whole life.
     */
    private static final Set<String> DROPPED_HEADERS =
            Set.of("sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "upgrade", "connection");

    /**
     * An immutable sorted copy. Only this class creates one, so a handshake derived from another
     * ({@link #withAuth}, a remote address added) shares its maps instead of copying them again.
     */
    private static final class Frozen<V> extends AbstractMap<String, V> {
        private final SortedMap<String, V> map;

        private Frozen(SortedMap<String, V> map) {
            this.map = map;
        }

        static Frozen<List<String>> copyOf(
                Map<String, List<String>> source, Comparator<String> order, Set<String> dropped) {
            TreeMap<String, List<String>> copy = new TreeMap<>(order);
            source.forEach((k, v) -> {
                if (!dropped.contains(k.toLowerCase(Locale.ROOT))) {
                    copy.put(k, List.copyOf(v));
                }
            });
            return new Frozen<>(Collections.unmodifiableSortedMap(copy));
        }

        @Override
        public V get(Object key) {
            return map.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return map.containsKey(key);
        }

        @Override
        public Set<Entry<String, V>> entrySet() {
            return map.entrySet();
        }
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

    /**
     * The private session id a client asking for connection state recovery sent in its CONNECT auth payload
     * ({@code pid}), or {@code null}. See {@link ConnectAcceptance}.
     */
    public String recoveryPid() {
        return authField("pid");
    }

    /**
     * The offset of the last packet the client received, sent with {@link #recoveryPid()} ({@code offset}), or
     * {@code null}.
     */
    public String recoveryOffset() {
        return authField("offset");
    }

    /** This handshake with another auth payload (used per namespace). */
    public SocketIoHandshake withAuth(JsonNode newAuth) {
        return new SocketIoHandshake(headers, query, remoteAddress, newAuth, issuedAt);
    }
}
