package io.fatechat.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.testing.NodeScenario;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * The client side of the starter ITs' nodes (reached by port): REST calls, Java Socket.IO clients (closed with
 * {@link #close}), and the stock npm client's recovery scenario of chat-jakarta-ws.
 */
final class NodeClients implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    String post(int port, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    String get(int port, String path, String token) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** Registers {@code email}; its token. */
    String register(int port, String email, String password) throws Exception {
        return new JSONObject(post(
                        port,
                        "/api/register",
                        new JSONObject(Map.of("email", email, "password", password)).toString(),
                        null))
                .getString("token");
    }

    /** A connected websocket client with {@code auth}. */
    Socket connect(int port, Map<String, String> auth) {
        return connect(port, auth, new AtomicReference<>(), new CopyOnWriteArrayList<>());
    }

    /** A connected websocket client with {@code auth}, recording its CONNECT answer's pid and every receiveMessage. */
    Socket connect(int port, Map<String, String> auth, AtomicReference<String> pid, List<Object[]> received) {
        Socket socket = IO.socket(
                URI.create("http://127.0.0.1:" + port),
                IO.Options.builder()
                        .setTransports(new String[] {"websocket"})
                        .setReconnection(false)
                        .setForceNew(true)
                        .setAuth(auth)
                        .build());
        sockets.add(socket);
        socket.io().on(Manager.EVENT_PACKET, args -> {
            Packet<?> packet = (Packet<?>) args[0];
            if (packet.type == Parser.CONNECT && packet.data instanceof JSONObject answer) {
                pid.set(answer.optString("pid", null));
            }
        });
        socket.on("receiveMessage", received::add);
        socket.connect();
        await().atMost(Duration.ofSeconds(15)).until(socket::connected);
        return socket;
    }

    /**
     * A Java client reconnects to {@code port} with {@code pid} and {@code offset} in its auth and must be recovered:
     * the same pid, then exactly the {@code missed} messages and the one {@code sender} sends to {@code room} next,
     * each once, in order.
     */
    void assertRecovers(
            int port, String token, String pid, String offset, Socket sender, String room, List<String> missed)
            throws Exception {
        AtomicReference<String> answered = new AtomicReference<>();
        List<Object[]> received = new CopyOnWriteArrayList<>();
        connect(port, Map.of("token", token, "pid", pid, "offset", offset), answered, received);
        assertThat(answered.get())
                .as("recovered: the CONNECT answer repeats the pid")
                .isEqualTo(pid);
        String after = request(sender, "sendMessage", new JSONObject(Map.of("roomName", room, "message", "after")))
                .getString("id");
        await().atMost(WAIT).until(() -> chatIds(received).contains(after));
        List<String> expected = new java.util.ArrayList<>(missed);
        expected.add(after);
        // a node's bus consumer may lag behind history: a late live event of a message the client had (at its
        // offset, or replayed) must not reach it again
        assertThat(chatIds(received)).as("every message once, in order").containsExactlyElementsOf(expected);
    }

    /** Emits {@code event} and waits for an ok ack; the ack. */
    static JSONObject request(Socket socket, String event, JSONObject payload) {
        AtomicReference<JSONObject> ack = new AtomicReference<>();
        socket.emit(event, payload, (Ack) args -> ack.set((JSONObject) args[0]));
        await().atMost(Duration.ofSeconds(15)).until(() -> ack.get() != null);
        assertThat(ack.get().optBoolean("ok")).as(ack.get().toString()).isTrue();
        return ack.get();
    }

    static void join(Socket socket, String room) {
        request(socket, "joinRoom", new JSONObject(Map.of("roomName", room)));
    }

    /** The ids of the chat (not event) messages among received receiveMessage arguments, in order. */
    static List<String> chatIds(List<Object[]> events) {
        return events.stream()
                .map(args -> (JSONObject) args[0])
                .filter(m -> !m.optBoolean("isEvent"))
                .map(m -> m.optString("id"))
                .toList();
    }

    /** The transport goes away under a Java client, as on a network drop (no DISCONNECT packet). */
    static void drop(Socket socket) throws Exception {
        var engine = Manager.class.getDeclaredField("engine");
        engine.setAccessible(true);
        ((io.socket.engineio.client.Socket) engine.get(socket.io())).close();
    }

    /**
     * Runs chat-jakarta-ws's recovery scenario with the stock npm client ({@code recovery-scenario.js}): Alice on
     * {@code alicePort}, Bob on {@code bobPort}, in {@code room}; Alice drops (or, with a {@code drop} pause, is
     * dropped by the test), Bob sends, she reconnects to {@code reconnectPort} and must be recovered. Before she
     * reconnects, the test waits until Bob's messages are in the history and conversations {@code readable} on
     * {@code reconnectPort} (the persister lags the bus). {@code drop} is null or the action that drops her node.
     */
    JSONObject npmRecovers(
            String mode,
            int alicePort,
            int bobPort,
            int reconnectPort,
            String room,
            Map<String, String[]> users,
            Consumer<String> drop)
            throws Exception {
        JSONObject config = new JSONObject()
                .put("url", "http://127.0.0.1:" + alicePort)
                .put("bobUrl", "http://127.0.0.1:" + bobPort)
                .put("reconnectUrl", "http://127.0.0.1:" + reconnectPort)
                .put("mode", mode)
                .put("expect", "recovered")
                .put("room", room)
                .put(
                        "pauses",
                        new JSONArray(drop == null ? List.of("sentWhileAway") : List.of("drop", "sentWhileAway")));
        if (drop != null) {
            config.put("drop", "kill");
        }
        JSONObject people = new JSONObject();
        for (Map.Entry<String, String[]> user : users.entrySet()) {
            people.put(
                    user.getKey(),
                    new JSONObject().put("email", user.getValue()[0]).put("token", user.getValue()[1]));
        }
        config.put("users", people);
        String aliceToken = users.get("alice")[1];
        Consumer<String> inHistory = line -> {
            JSONArray ids;
            try {
                ids = new JSONObject(line).getJSONArray("ids");
            } catch (org.json.JSONException e) {
                throw new IllegalStateException("A pause without ids: " + line, e);
            }
            // the room's messages and the private one: what the replay reads (history, and conversations); polled
            // below the per-user limit of 10 conversation requests a second
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
                String readable = get(reconnectPort, "/api/conversations", aliceToken)
                        + roomMessages(reconnectPort, room, aliceToken);
                for (int i = 0; i < ids.length(); i++) {
                    if (!readable.contains(ids.getString(i))) {
                        return false;
                    }
                }
                return true;
            });
        };
        Map<String, Consumer<String>> pauses =
                drop == null ? Map.of("sentWhileAway", inHistory) : Map.of("drop", drop, "sentWhileAway", inHistory);
        NodeScenario.Result result = NodeScenario.run(
                NodeScenario.directory(Path.of(System.getProperty("basedir", ""))),
                "recovery-scenario.js",
                config.toString(),
                pauses,
                Duration.ofSeconds(120));
        assertThat(result.exitCode()).as("%s", result).isZero();
        JSONObject outcome = new JSONObject(result.lastLine());
        assertThat(outcome.optBoolean("ok")).as("%s", result).isTrue();
        assertThat(outcome.getJSONArray("steps").toString()).contains("replayed", "backInRoom");
        return outcome;
    }

    private String roomMessages(int port, String room, String token) throws Exception {
        JSONArray rooms = new JSONArray(get(port, "/api/chat", token));
        for (int i = 0; i < rooms.length(); i++) {
            JSONObject candidate = rooms.getJSONObject(i);
            if (room.equals(candidate.optString("name"))) {
                return get(port, "/api/chat/" + candidate.getLong("id") + "/messages", token);
            }
        }
        return "";
    }

    @Override
    public void close() {
        sockets.forEach(Socket::close);
    }
}
