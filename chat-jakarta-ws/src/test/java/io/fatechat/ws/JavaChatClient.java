package io.fatechat.ws;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.engineio.client.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * The stock Java client ({@code io.socket:socket.io-client} 2.1.x) with every server event recorded as Jackson
 * JSON, and every wait bounded.
 */
final class JavaChatClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String[] SERVER_EVENTS = {
        "receiveMessage",
        "recentMessages",
        "onlineUsers",
        "privateMessage",
        "typing",
        "chatError",
        "conversations",
        "unreadCount",
        "messageRead"
    };

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final Map<String, List<JsonNode>> events = new ConcurrentHashMap<>();
    private final List<String> transports = new CopyOnWriteArrayList<>();

    private JavaChatClient(Socket socket) {
        this.socket = socket;
        socket.io().on(Manager.EVENT_TRANSPORT, args -> transports.add(((Transport) args[0]).name));
        for (String event : SERVER_EVENTS) {
            List<JsonNode> received = new CopyOnWriteArrayList<>();
            events.put(event, received);
            socket.on(event, args -> received.add(args.length == 0 ? JSON.nullNode() : toJackson(args[0])));
        }
    }

    /** Options: no reconnection, a fresh manager per client, bounded connect timeout. */
    static IO.Options options(boolean websocketOnly) {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                .setTimeout(TIMEOUT.toMillis())
                .build();
        if (websocketOnly) {
            options.transports = new String[] {"websocket"};
        }
        return options;
    }

    /** Connects; fails with the server's CONNECT_ERROR message or a timeout. */
    static JavaChatClient connect(String url, IO.Options options) {
        Outcome outcome = attempt(url, options);
        if (outcome.error() != null) {
            outcome.client().close();
            throw new AssertionError("not connected: " + outcome.error());
        }
        return outcome.client();
    }

    /** Connects and returns the CONNECT_ERROR payload the server answered with (failing if it accepted). */
    static JsonNode connectRefused(String url, IO.Options options) {
        Outcome outcome = attempt(url, options);
        outcome.client().close();
        if (outcome.error() == null) {
            throw new AssertionError("connected although it should have been refused");
        }
        return outcome.error();
    }

    private record Outcome(JavaChatClient client, JsonNode error) {}

    private static Outcome attempt(String url, IO.Options options) {
        Socket socket = IO.socket(URI.create(url), options);
        JavaChatClient client = new JavaChatClient(socket);
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> result.complete(null));
        socket.once(
                Socket.EVENT_CONNECT_ERROR,
                args -> result.complete(args.length == 0 ? JSON.nullNode() : toJackson(args[0])));
        socket.connect();
        try {
            return new Outcome(client, result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new AssertionError("interrupted while connecting", e);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            throw new AssertionError("no connect or connect_error within " + TIMEOUT, e);
        }
    }

    Socket socket() {
        return socket;
    }

    /** Emits with an ack callback and returns the ack's first argument. */
    JsonNode request(String event, Object... args) {
        CompletableFuture<JsonNode> ack = new CompletableFuture<>();
        Object[] withAck = new Object[args.length + 1];
        for (int i = 0; i < args.length; i++) {
            withAck[i] = toClient(args[i]);
        }
        withAck[args.length] =
                (Ack) replies -> ack.complete(replies.length == 0 ? JSON.missingNode() : toJackson(replies[0]));
        socket.emit(event, withAck);
        try {
            return ack.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the ack of " + event, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("no ack of " + event + " within " + TIMEOUT, e);
        }
    }

    /** Emits without an ack callback. */
    void emit(String event, Object... args) {
        Object[] converted = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            converted[i] = toClient(args[i]);
        }
        socket.emit(event, converted);
    }

    /** Every {@code event} received so far. */
    List<JsonNode> received(String event) {
        return new ArrayList<>(events.get(event));
    }

    /** Waits (bounded) for an {@code event} matching {@code predicate}, possibly received already. */
    JsonNode awaitEvent(String event, Predicate<JsonNode> predicate) {
        List<JsonNode> list = events.get(event);
        return await().atMost(TIMEOUT)
                .until(() -> list.stream().filter(predicate).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    /** The Engine.IO transports this client created, in order (a probe for the upgrade included). */
    List<String> transportsCreated() {
        return List.copyOf(transports);
    }

    boolean connected() {
        return socket.connected();
    }

    @Override
    public void close() {
        socket.off();
        socket.disconnect();
        socket.io().off();
    }

    /** A Jackson node as the Java client wants it (org.json types); other values pass unchanged. */
    static Object toClient(Object value) {
        if (!(value instanceof JsonNode node)) {
            return value;
        }
        try {
            if (node.isObject()) {
                return new JSONObject(node.toString());
            }
            if (node.isArray()) {
                return new JSONArray(node.toString());
            }
        } catch (JSONException e) {
            throw new IllegalArgumentException("not JSON: " + node, e);
        }
        if (node.isNull()) {
            return JSONObject.NULL;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.numberValue();
    }

    static JsonNode toJackson(Object value) {
        try {
            if (value instanceof JSONObject || value instanceof JSONArray) {
                return JSON.readTree(value.toString());
            }
            return JSON.valueToTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("client delivered invalid JSON: " + value, e);
        }
    }

    /** A JSON object, written in the tests with single quotes for readability. */
    static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }
}
