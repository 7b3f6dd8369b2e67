package io.fatechat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
     *
     * <p>Every connection holds one for its whole life, so it is compact: sorted arrays (no tree entries), a lone
     * value stored as itself (the list made when asked), and the names and values every client sends
     * ({@code EIO}, {@code 4}, {@code Host}, ...) shared rather than one copy per connection (issue 11).
     */
    private static final class Frozen<V> extends AbstractMap<String, V> {
        /** Common names and values, shared by every handshake that has them. */
        private static final Map<String, String> SHARED = shared(
                "EIO",
                "4",
                "3",
                "transport",
                "websocket",
                "polling",
                "sid",
                "t",
                "j",
                "b64",
                "Host",
                "host",
                "Origin",
                "origin",
                "User-Agent",
                "user-agent",
                "Accept",
                "accept",
                "Accept-Encoding",
                "accept-encoding",
                "Accept-Language",
                "accept-language",
                "Cache-Control",
                "cache-control",
                "Pragma",
                "pragma",
                "Cookie",
                "cookie",
                "Authorization",
                "authorization",
                "Referer",
                "referer",
                "X-Forwarded-For",
                "x-forwarded-for",
                "X-Forwarded-Proto",
                "x-forwarded-proto",
                "X-Real-IP",
                "x-real-ip",
                "Sec-Fetch-Dest",
                "sec-fetch-dest",
                "Sec-Fetch-Mode",
                "sec-fetch-mode",
                "Sec-Fetch-Site",
                "sec-fetch-site",
                "Content-Type",
                "content-type",
                "Content-Length",
                "content-length",
                "no-cache",
                "*/*",
                "gzip, deflate",
                "gzip, deflate, br",
                "websocket",
                "cors",
                "same-origin",
                "same-site",
                "empty",
                "keep-alive",
                "close");

        private final Comparator<String> order;
        private final String[] keys;
        /** A String for one value, an immutable List otherwise. */
        private final Object[] values;

        private Frozen(Comparator<String> order, String[] keys, Object[] values) {
            this.order = order;
            this.keys = keys;
            this.values = values;
        }

        private static Map<String, String> shared(String... strings) {
            Map<String, String> map = new java.util.HashMap<>();
            for (String v : strings) {
                map.put(v, v);
            }
            return Map.copyOf(map);
        }

        private static String share(String s) {
            return s == null ? null : SHARED.getOrDefault(s, s);
        }

        static Frozen<List<String>> copyOf(
                Map<String, List<String>> source, Comparator<String> order, Set<String> dropped) {
            TreeMap<String, List<String>> sorted = new TreeMap<>(order);
            source.forEach((k, v) -> {
                if (!dropped.contains(k.toLowerCase(Locale.ROOT))) {
                    sorted.put(k, v);
                }
            });
            String[] keys = new String[sorted.size()];
            Object[] values = new Object[sorted.size()];
            int i = 0;
            for (Map.Entry<String, List<String>> e : sorted.entrySet()) {
                keys[i] = share(e.getKey());
                List<String> v = e.getValue();
                if (v.size() == 1) {
                    values[i] = share(Objects.requireNonNull(v.get(0)));
                } else {
                    List<String> copy = new java.util.ArrayList<>(v.size());
                    for (String s : v) {
                        copy.add(share(s));
                    }
                    values[i] = List.copyOf(copy);
                }
                i++;
            }
            return new Frozen<>(order, keys, values);
        }

        @SuppressWarnings("unchecked")
        private V value(int i) {
            Object v = values[i];
            return (V) (v instanceof String one ? List.of(one) : v);
        }

        private int indexOf(Object key) {
            if (!(key instanceof String k)) {
                return -1;
            }
            int i = order == null ? Arrays.binarySearch(keys, k) : Arrays.binarySearch(keys, k, order);
            return i < 0 ? -1 : i;
        }

        @Override
        public V get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : value(i);
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public int size() {
            return keys.length;
        }

        @Override
        public Set<Entry<String, V>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public java.util.Iterator<Entry<String, V>> iterator() {
                    return new java.util.Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < keys.length;
                        }

                        @Override
                        public Entry<String, V> next() {
                            if (next >= keys.length) {
                                throw new java.util.NoSuchElementException();
                            }
                            int i = next++;
                            return new AbstractMap.SimpleImmutableEntry<>(keys[i], value(i));
                        }
                    };
                }

                @Override
                public int size() {
                    return keys.length;
                }
            };
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
