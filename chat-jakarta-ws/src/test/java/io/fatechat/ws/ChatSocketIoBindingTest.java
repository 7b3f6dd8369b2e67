package io.fatechat.ws;

import static io.fatechat.ws.JavaChatClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.socket.client.IO;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chat binding end to end: the stock Java Socket.IO client against an embedded Jetty running the real
 * engine. Each test uses its own users and rooms, so they share one server.
 */
class ChatSocketIoBindingTest {

    private static final String ISO_MILLIS_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static ChatTestServer server;
    private final List<JavaChatClient> clients = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = ChatTestServer.start();
        server.createRoom(ChatTestServer.BROKEN_HISTORY_ROOM);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(JavaChatClient::close);
    }

    // ---- helpers ----

    private record User(String email, String token) {}

    private static User newUser(String name) {
        String email = name + "-" + SEQUENCE.incrementAndGet() + "@example.com";
        return new User(email, server.register(email));
    }

    private static String newRoom(String name) {
        return server.createRoom(name + " " + SEQUENCE.incrementAndGet());
    }

    private JavaChatClient connect(User user) {
        return connect(user, false);
    }

    private JavaChatClient connect(User user, boolean websocketOnly) {
        IO.Options options = JavaChatClient.options(websocketOnly);
        options.auth = Map.of("token", user.token());
        return track(JavaChatClient.connect(server.url(), options));
    }

    private JavaChatClient track(JavaChatClient client) {
        clients.add(client);
        return client;
    }

    private JavaChatClient joined(User user, String room) {
        JavaChatClient client = connect(user);
        assertThat(client.request("joinRoom", roomPayload(room)).path("ok").asBoolean())
                .isTrue();
        return client;
    }

    private static ObjectNode roomPayload(String room) {
        return JsonNodeFactory.instance.objectNode().put("roomName", room);
    }

    private static ObjectNode message(String room, String text) {
        return roomPayload(room).put("message", text);
    }

    private static void assertError(JsonNode ack, String code) {
        assertThat(ack.path("ok").isBoolean()).as("ok is a boolean in %s", ack).isTrue();
        assertThat(ack.path("ok").asBoolean()).as("ok in %s", ack).isFalse();
        assertThat(ack.path("error").path("code").asText())
                .as("code in %s", ack)
                .isEqualTo(code);
        assertThat(ack.path("error").path("message").asText())
                .as("message in %s", ack)
                .isNotBlank();
        assertThat(fieldNames(ack)).containsExactlyInAnyOrder("ok", "error");
        assertThat(fieldNames(ack.path("error"))).containsExactlyInAnyOrder("code", "message");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static boolean usersAre(JsonNode onlineUsers, String room, String... users) {
        if (!onlineUsers.path("roomName").asText().equals(room)) {
            return false;
        }
        List<String> actual = new ArrayList<>();
        onlineUsers.path("users").forEach(u -> actual.add(u.asText()));
        return actual.size() == users.length && actual.containsAll(List.of(users));
    }

    // ---- handshake authentication ----

    @ParameterizedTest(name = "websocketOnly={0}")
    @ValueSource(booleans = {false, true})
    void authenticatesWithTheConnectAuthPayload(boolean websocketOnly) {
        User alice = newUser("auth-payload");
        String room = newRoom("Auth payload");
        JavaChatClient client = connect(alice, websocketOnly);

        JsonNode ack = client.request("joinRoom", roomPayload(room));

        assertThat(ack).isEqualTo(json("{'ok':true,'roomName':'" + room + "'}"));
        client.awaitEvent("onlineUsers", p -> usersAre(p, room, alice.email()));
    }

    static Stream<Arguments> authorizationHeaders() {
        return Stream.of("Bearer ", "BEARER ", "bearer ", "")
                .flatMap(prefix -> Stream.of(Arguments.of(prefix, false), Arguments.of(prefix, true)));
    }

    @ParameterizedTest(name = "prefix=''{0}'' websocketOnly={1}")
    @MethodSource("authorizationHeaders")
    void authenticatesWithTheAuthorizationHeader(String prefix, boolean websocketOnly) {
        User bob = newUser("auth-header");
        IO.Options options = JavaChatClient.options(websocketOnly);
        options.extraHeaders = Map.of("Authorization", List.of(prefix + bob.token()));
        JavaChatClient client = track(JavaChatClient.connect(server.url(), options));

        JsonNode ack =
                client.request("sendPrivateMessage", json("{'to':'" + bob.email() + "','message':'note to self'}"));

        assertThat(ack.path("ok").asBoolean()).as("%s", ack).isTrue();
        JsonNode received =
                client.awaitEvent("privateMessage", p -> p.path("id").equals(ack.path("id")));
        assertThat(received.path("from").asText()).isEqualTo(bob.email());
    }

    @ParameterizedTest(name = "websocketOnly={0}")
    @ValueSource(booleans = {false, true})
    void authenticatesWithTheTokenQueryParameter(boolean websocketOnly) {
        User carol = newUser("auth-query");
        String room = newRoom("Auth query");
        IO.Options options = JavaChatClient.options(websocketOnly);
        options.query = "token=" + carol.token();
        JavaChatClient client = track(JavaChatClient.connect(server.url(), options));

        assertThat(client.request("joinRoom", roomPayload(room)).path("ok").asBoolean())
                .isTrue();
    }

    @Test
    void theFirstTokenFoundWinsEvenWhenALaterOneWouldBeValid() {
        User dave = newUser("first-wins");
        IO.Options authWins = JavaChatClient.options(false);
        authWins.auth = Map.of("token", dave.token());
        authWins.extraHeaders = Map.of("Authorization", List.of("Bearer forged"));
        track(JavaChatClient.connect(server.url(), authWins));

        IO.Options forgedAuth = JavaChatClient.options(false);
        forgedAuth.auth = Map.of("token", "forged");
        forgedAuth.query = "token=" + dave.token();
        assertThat(JavaChatClient.connectRefused(server.url(), forgedAuth))
                .isEqualTo(json("{'message':'unauthorized'}"));
    }

    static Stream<Arguments> refusedHandshakes() {
        return Stream.of(
                Arguments.of("no token", Map.of(), Map.of(), null),
                Arguments.of("forged auth token", Map.of("token", "not.a.jwt"), Map.of(), null),
                Arguments.of("forged header", Map.of(), Map.of("Authorization", List.of("Bearer abc.def.ghi")), null),
                Arguments.of("bare Bearer header", Map.of(), Map.of("Authorization", List.of("Bearer")), null),
                Arguments.of("forged query", Map.of(), Map.of(), "token=abc"),
                Arguments.of("empty query", Map.of(), Map.of(), "token="));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedHandshakes")
    void refusesAClientWithoutAValidToken(
            String description, Map<String, String> auth, Map<String, List<String>> headers, String query) {
        int connectionsBefore = server.engine().connectionCount();
        for (boolean websocketOnly : new boolean[] {false, true}) {
            IO.Options options = JavaChatClient.options(websocketOnly);
            options.auth = auth;
            options.extraHeaders = headers;
            options.query = query;

            JsonNode error = JavaChatClient.connectRefused(server.url(), options);

            assertThat(error).as(description).isEqualTo(json("{'message':'unauthorized'}"));
        }
        // At most as many as before: an earlier test's client may still be closing, but no refused one may open.
        assertThat(server.engine().connectionCount()).isLessThanOrEqualTo(connectionsBefore);
    }

    /** What a raw WebSocket client received after sending {@code packets}, up to the fence or the close. */
    private record RawExchange(List<String> frames, boolean closed) {}

    /**
     * Sends Socket.IO packets over a raw WebSocket, then a valid CONNECT as a fence. Packets are handled in
     * order, so once the fence is answered (or the server closed the connection) every answer to the earlier
     * packets has been sent.
     */
    private static RawExchange rawExchange(String fenceToken, String... packets) throws Exception {
        List<String> frames = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket raw = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create(server.url().replace("http:", "ws:") + "/socket.io/?EIO=4&transport=websocket"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                frames.add(data.toString());
                                ws.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                                closed.complete(statusCode);
                                return null;
                            }

                            @Override
                            public void onError(WebSocket ws, Throwable error) {
                                closed.complete(-1);
                            }
                        })
                .get(JavaChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            for (String packet : packets) {
                raw.sendText(packet, true).get(JavaChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            try {
                raw.sendText("40{\"token\":\"" + fenceToken + "\"}", true)
                        .get(JavaChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // Already closed by the server: that is an answer too.
            }
            await().atMost(JavaChatClient.TIMEOUT)
                    .until(() -> closed.isDone() || frames.stream().anyMatch(f -> f.startsWith("40{\"sid\"")));
            return new RawExchange(List.copyOf(frames), closed.isDone());
        } finally {
            raw.abort();
        }
    }

    @Test
    void eventsOfARefusedOrNotYetConnectedSocketAreNotProcessed() throws Exception {
        User eve = newUser("before-auth");
        String room = newRoom("Before auth");
        String join = "[\"joinRoom\",{\"roomName\":\"" + room + "\"}]";

        RawExchange beforeConnect = rawExchange(eve.token(), "421" + join);
        RawExchange afterRefusal = rawExchange(eve.token(), "40{\"token\":\"forged\"}", "422" + join);

        assertThat(beforeConnect.frames()).noneMatch(f -> f.startsWith("43"));
        assertThat(afterRefusal.frames()).contains("44{\"message\":\"unauthorized\"}");
        assertThat(afterRefusal.frames()).noneMatch(f -> f.startsWith("43"));
        JavaChatClient watcher = connect(newUser("before-auth-watcher"));
        assertThat(watcher.request("getOnlineUsers", roomPayload(room)).path("users"))
                .isEmpty();
    }

    // ---- joinRoom / leaveRoom / onlineUsers ----

    @Test
    void joinRoomAcksTheCanonicalNameAndTellsTheRoom() {
        User alice = newUser("join-a");
        User bob = newUser("join-b");
        String room = newRoom("Mixed Case");
        JavaChatClient a = joined(alice, room);
        JavaChatClient b = connect(bob);

        JsonNode ack = b.request("joinRoom", roomPayload(room.toLowerCase()));

        assertThat(ack).isEqualTo(json("{'ok':true,'roomName':'" + room + "'}"));
        a.awaitEvent("onlineUsers", p -> usersAre(p, room, alice.email(), bob.email()));
        b.awaitEvent("onlineUsers", p -> usersAre(p, room, alice.email(), bob.email()));
        // The joiner sees its own join event message too.
        for (JavaChatClient client : List.of(a, b)) {
            JsonNode event = client.awaitEvent(
                    "receiveMessage",
                    p -> p.path("isEvent").asBoolean()
                            && p.path("userMail").asText().equals(bob.email()));
            assertThat(event.path("roomName").asText()).isEqualTo(room);
            assertThat(event.path("messageText").asText()).contains("joined");
        }
    }

    @Test
    void joinRoomRefusesAnUnknownRoom() {
        JavaChatClient a = connect(newUser("join-unknown"));

        JsonNode ack = a.request("joinRoom", roomPayload("No Such Room"));

        assertError(ack, "not_found");
        assertThat(ack.path("error").path("message").asText()).isEqualTo("unknown room 'No Such Room'");
    }

    @Test
    void leaveRoomAcksAndTellsTheRoom() {
        User alice = newUser("leave-a");
        User bob = newUser("leave-b");
        String room = newRoom("Leaving");
        JavaChatClient a = joined(alice, room);
        JavaChatClient b = joined(bob, room);
        a.awaitEvent("onlineUsers", p -> usersAre(p, room, alice.email(), bob.email()));

        JsonNode ack = b.request("leaveRoom", roomPayload(room.toUpperCase()));

        assertThat(ack).isEqualTo(json("{'ok':true,'roomName':'" + room + "'}"));
        a.awaitEvent("onlineUsers", p -> usersAre(p, room, alice.email()));
        a.awaitEvent(
                "receiveMessage",
                p -> p.path("isEvent").asBoolean()
                        && p.path("userMail").asText().equals(bob.email())
                        && p.path("messageText").asText().contains("left"));
        // Having left, bob gets no more messages of the room and may not send to it.
        JsonNode after = a.request("sendMessage", message(room, "after bob left"));
        assertError(b.request("sendMessage", message(room, "still here?")), "not_in_room");
        a.awaitEvent("receiveMessage", p -> p.path("id").equals(after.path("id")));
        assertThat(b.received("receiveMessage")).noneMatch(p -> p.path("id").equals(after.path("id")));
    }

    @Test
    void getOnlineUsersEmitsAndAcks() {
        User alice = newUser("online-a");
        User bob = newUser("online-b");
        String room = newRoom("Online");
        joined(alice, room);
        JavaChatClient b = joined(bob, room);

        JsonNode ack = b.request("getOnlineUsers", roomPayload(room));

        assertThat(ack.path("ok").asBoolean()).isTrue();
        assertThat(fieldNames(ack)).containsExactlyInAnyOrder("ok", "roomName", "users");
        assertThat(usersAre(ack, room, alice.email(), bob.email()))
                .as("%s", ack)
                .isTrue();
        b.awaitEvent("onlineUsers", p -> usersAre(p, room, alice.email(), bob.email()));
    }

    @Test
    void leaveAndOnlineUsersOfARoomNotJoinedAckItsCanonicalName() {
        JavaChatClient a = connect(newUser("canonical-a"));
        String room = newRoom("Canonical Name");

        assertThat(a.request("leaveRoom", roomPayload(room.toUpperCase())))
                .isEqualTo(json("{'ok':true,'roomName':'" + room + "'}"));
        JsonNode online = a.request("getOnlineUsers", roomPayload(room.toLowerCase()));
        assertThat(online.path("roomName").asText()).isEqualTo(room);
        assertThat(online.path("users")).isEmpty();
        assertError(a.request("leaveRoom", roomPayload("No Such Room")), "not_found");
    }

    @Test
    void aRevokedSessionIsToldAndDisconnectedAndItsChatConnectionIsTheSocket() {
        User alice = newUser("revoked-a");
        JavaChatClient a = connect(alice, true);
        JavaChatClient other = connect(newUser("revoked-other"));
        String socketId = a.socket().id();

        server.engine().revokeSessions(alice.email());

        JsonNode error = a.awaitEvent("chatError", p -> p.path("code").asText().equals("unauthorized"));
        assertThat(error.path("message").asText()).contains("session has ended");
        await().atMost(JavaChatClient.TIMEOUT).until(() -> server.endpoint()
                .server()
                .namespace("/")
                .socket(socketId)
                .isEmpty());
        assertThat(other.connected()).isTrue();
    }

    // ---- sendMessage ----

    @Test
    void sendMessageAcksWithIdAndTimeAndReachesTheRoom() {
        User alice = newUser("send-a");
        User bob = newUser("send-b");
        String room = newRoom("Sending");
        JavaChatClient a = joined(alice, room);
        JavaChatClient b = joined(bob, room);

        JsonNode ack = a.request("sendMessage", message(room, "hello \"bob\" \u2603"));

        assertThat(fieldNames(ack)).containsExactlyInAnyOrder("ok", "id", "createdAt");
        assertThat(ack.path("ok").asBoolean()).isTrue();
        assertThat(ack.path("id").isTextual()).isTrue();
        assertThat(ack.path("createdAt").asText()).matches(ISO_MILLIS_UTC);
        ObjectNode expected = JsonNodeFactory.instance
                .objectNode()
                .put("id", ack.path("id").asText())
                .put("roomName", room)
                .put("messageText", "hello \"bob\" \u2603")
                .put("userMail", alice.email())
                .put("isEvent", false)
                .put("createdAt", ack.path("createdAt").asText());
        assertThat(b.awaitEvent("receiveMessage", p -> p.path("id").equals(ack.path("id"))))
                .isEqualTo(expected);
        assertThat(a.awaitEvent("receiveMessage", p -> p.path("id").equals(ack.path("id"))))
                .isEqualTo(expected);
    }

    @Test
    void aReSendWithTheSameClientIdIsAckedWithTheOriginalIdAndShownOnce() {
        User alice = newUser("resend-a");
        String room = newRoom("Resend");
        JavaChatClient a = joined(alice, room);
        ObjectNode payload = message(room, "once").put("clientId", "c-42");

        JsonNode first = a.request("sendMessage", payload);
        JsonNode second = a.request("sendMessage", payload);

        assertThat(second).isEqualTo(first);
        JsonNode fence = a.request("sendMessage", message(room, "fence"));
        a.awaitEvent("receiveMessage", p -> p.path("id").equals(fence.path("id")));
        assertThat(a.received("receiveMessage"))
                .filteredOn(p -> p.path("id").equals(first.path("id")))
                .hasSize(1);
    }

    @Test
    void sendMessageRefusals() {
        User alice = newUser("refuse-a");
        String room = newRoom("Refusals");
        String other = newRoom("Not Joined");
        JavaChatClient a = joined(alice, room);

        JsonNode tooLong = a.request("sendMessage", message(room, "x".repeat(ChatTestServer.MAX_MESSAGE_LENGTH + 1)));
        assertError(tooLong, "message_too_long");
        assertThat(tooLong.path("error").path("message").asText())
                .isEqualTo("message: is 201 characters long, the limit is 200");
        assertError(a.request("sendMessage", message(other, "hi")), "not_in_room");
        assertError(a.request("sendMessage", message("Nowhere", "hi")), "not_found");
        assertError(a.request("sendMessage", message(room, "   ")), "invalid_input");
        assertThat(a.received("chatError")).isEmpty();
    }

    // ---- getRecentMessages ----

    @Test
    void getRecentMessagesEmitsAndAcksTheSameListNewestFirst() {
        User alice = newUser("recent-a");
        String room = newRoom("Recent");
        JavaChatClient a = joined(alice, room);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(a.request("sendMessage", message(room, "m" + i)).path("id").asText());
        }

        // History is written by the persister after delivery: wait until it has all three.
        JsonNode ack = await().atMost(JavaChatClient.TIMEOUT)
                .until(
                        () -> a.request("getRecentMessages", roomPayload(room).put("count", 3)),
                        r -> r.path("messages").size() == 3
                                && r.path("messages").get(0).path("id").asText().equals(sent.get(2)));

        assertThat(fieldNames(ack)).containsExactlyInAnyOrder("ok", "messages");
        assertThat(ack.path("ok").asBoolean()).isTrue();
        List<String> ids = new ArrayList<>();
        ack.path("messages").forEach(m -> ids.add(m.path("id").asText()));
        assertThat(ids).containsExactly(sent.get(2), sent.get(1), sent.get(0));
        JsonNode newest = ack.path("messages").get(0);
        assertThat(fieldNames(newest))
                .containsExactlyInAnyOrder("id", "roomName", "messageText", "userMail", "isEvent", "createdAt");
        assertThat(newest.path("messageText").asText()).isEqualTo("m2");
        a.awaitEvent("recentMessages", list -> list.equals(ack.path("messages")));
    }

    @Test
    void anUnexpectedFailureIsAGenericInternalError() {
        JavaChatClient a = connect(newUser("internal"));

        JsonNode ack = a.request(
                "getRecentMessages",
                roomPayload(ChatTestServer.BROKEN_HISTORY_ROOM).put("count", 5));

        assertError(ack, "internal");
        assertThat(ack.path("error").path("message").asText()).isEqualTo("internal error");
        assertThat(a.connected()).isTrue();
    }

    // ---- private messages ----

    @Test
    void privateMessagesReachEverySocketOfSenderAndRecipientAndNobodyElse() {
        User alice = newUser("pm-a");
        User bob = newUser("pm-b");
        User carol = newUser("pm-c");
        String room = newRoom("Private fence");
        JavaChatClient alicePhone = joined(alice, room);
        JavaChatClient aliceLaptop = connect(alice);
        JavaChatClient bobPhone = connect(bob);
        JavaChatClient bobLaptop = connect(bob, true);
        JavaChatClient carolClient = joined(carol, room);

        JsonNode ack = alicePhone.request(
                "sendPrivateMessage",
                json("{'to':'" + bob.email().toUpperCase() + "','message':'psst','clientId':'p-1'}"));

        assertThat(fieldNames(ack)).containsExactlyInAnyOrder("ok", "id", "createdAt");
        assertThat(ack.path("ok").asBoolean()).isTrue();
        ObjectNode expected = JsonNodeFactory.instance
                .objectNode()
                .put("id", ack.path("id").asText())
                .put("from", alice.email())
                .put("to", bob.email())
                .put("messageText", "psst")
                .put("createdAt", ack.path("createdAt").asText());
        for (JavaChatClient client : List.of(alicePhone, aliceLaptop, bobPhone, bobLaptop)) {
            assertThat(client.awaitEvent("privateMessage", p -> p.path("id").equals(ack.path("id"))))
                    .isEqualTo(expected);
        }
        JsonNode fence = alicePhone.request("sendMessage", message(room, "fence"));
        carolClient.awaitEvent("receiveMessage", p -> p.path("id").equals(fence.path("id")));
        assertThat(carolClient.received("privateMessage")).isEmpty();
    }

    @Test
    void privateMessageRefusals() {
        User alice = newUser("pm-refuse");
        JavaChatClient a = connect(alice);

        assertError(
                a.request("sendPrivateMessage", json("{'to':'nobody-here@example.com','message':'hi'}")), "not_found");
        assertError(a.request("sendPrivateMessage", json("{'to':'not an email','message':'hi'}")), "invalid_input");
        assertError(
                a.request(
                        "sendPrivateMessage",
                        JsonNodeFactory.instance
                                .objectNode()
                                .put("to", alice.email())
                                .put("message", "y".repeat(ChatTestServer.MAX_MESSAGE_LENGTH + 1))),
                "message_too_long");
    }

    // ---- typing ----

    @Test
    void typingReachesTheOthersButNotTheTypist() {
        User alice = newUser("typing-a");
        User bob = newUser("typing-b");
        String room = newRoom("Typing");
        JavaChatClient a = joined(alice, room);
        JavaChatClient aliceOther = joined(alice, room);
        JavaChatClient b = joined(bob, room);

        assertThat(a.request("typing", roomPayload(room))).isEqualTo(json("{'ok':true}"));

        JsonNode expected = json("{'roomName':'" + room + "','userMail':'" + alice.email() + "'}");
        assertThat(b.awaitEvent("typing", p -> true)).isEqualTo(expected);
        // Another socket of the same user is another connection: it sees the typing too.
        assertThat(aliceOther.awaitEvent("typing", p -> true)).isEqualTo(expected);
        JsonNode fence = b.request("sendMessage", message(room, "fence"));
        a.awaitEvent("receiveMessage", p -> p.path("id").equals(fence.path("id")));
        assertThat(a.received("typing")).isEmpty();
        assertError(b.request("typing", roomPayload(newRoom("Typing elsewhere"))), "not_in_room");
    }

    // ---- payload validation ----

    static Stream<Arguments> invalidPayloads() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return Stream.of(
                Arguments.of("joinRoom", null, "payload"),
                Arguments.of("joinRoom", f.textNode("General"), "payload"),
                Arguments.of("joinRoom", f.arrayNode().add("General"), "payload"),
                Arguments.of("joinRoom", json("{}"), "roomName"),
                Arguments.of("joinRoom", json("{'roomName':42}"), "roomName"),
                Arguments.of("leaveRoom", json("{'roomName':null}"), "roomName"),
                Arguments.of("sendMessage", json("{'roomName':'General'}"), "message"),
                Arguments.of("sendMessage", json("{'roomName':'General','message':{'text':'hi'}}"), "message"),
                Arguments.of("sendMessage", json("{'roomName':'General','message':'hi','clientId':7}"), "clientId"),
                Arguments.of("getRecentMessages", json("{'roomName':'General'}"), "count"),
                Arguments.of("getRecentMessages", json("{'roomName':'General','count':'ten'}"), "count"),
                Arguments.of("getRecentMessages", json("{'roomName':'General','count':0}"), "count"),
                Arguments.of("getOnlineUsers", json("{'room':'General'}"), "roomName"),
                Arguments.of("sendPrivateMessage", json("{'message':'hi'}"), "to"),
                Arguments.of("sendPrivateMessage", json("{'to':['a@example.com'],'message':'hi'}"), "to"),
                Arguments.of("typing", json("{'roomName':''}"), "roomName"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidPayloads")
    void invalidPayloadsGetAnInvalidInputAck(String event, JsonNode payload, String field) {
        JavaChatClient a = connect(newUser("invalid"));

        JsonNode ack = payload == null ? a.request(event) : a.request(event, payload);

        assertError(ack, "invalid_input");
        assertThat(ack.path("error").path("message").asText()).startsWith(field + ": ");
        assertThat(a.connected()).isTrue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidPayloads")
    void invalidPayloadsWithoutAckGetAChatErrorEvent(String event, JsonNode payload, String field) {
        JavaChatClient a = connect(newUser("invalid-noack"));

        if (payload == null) {
            a.emit(event);
        } else {
            a.emit(event, payload);
        }

        JsonNode error = a.awaitEvent("chatError", p -> true);
        assertThat(fieldNames(error)).containsExactlyInAnyOrder("code", "message");
        assertThat(error.path("code").asText()).isEqualTo("invalid_input");
        assertThat(error.path("message").asText()).startsWith(field + ": ");
    }

    @Test
    void refusalsWithoutAckGetAChatErrorEvent() {
        User alice = newUser("noack");
        String room = newRoom("No ack");
        JavaChatClient a = connect(alice);

        a.emit("sendMessage", message(room, "not joined yet"));
        a.emit("joinRoom", roomPayload("Unknown Room For No Ack"));

        await().atMost(JavaChatClient.TIMEOUT)
                .until(() -> a.received("chatError").size() == 2);
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertThat(a.received("chatError"))
                .containsExactly(
                        f.objectNode()
                                .put("code", "not_in_room")
                                .put("message", "not in room '" + room + "': join it first"),
                        f.objectNode()
                                .put("code", "not_found")
                                .put("message", "unknown room 'Unknown Room For No Ack'"));
    }

    @Test
    void unknownEventsAreRefusedWithoutClosingTheConnection() {
        JavaChatClient a = connect(newUser("unknown-event"));

        JsonNode ack = a.request("launchRockets", json("{}"));
        a.emit("launchRockets", json("{}"));

        assertError(ack, "invalid_input");
        assertThat(ack.path("error").path("message").asText()).isEqualTo("event: unknown event 'launchRockets'");
        assertThat(a.awaitEvent("chatError", p -> true).path("code").asText()).isEqualTo("invalid_input");
        assertThat(a.connected()).isTrue();
    }

    // ---- delivery and disconnect ----

    @Test
    void aRoomMessageIsOneBroadcastForAllLocalRecipients() {
        String room = newRoom("Broadcast once");
        User carol = newUser("bc-c");
        JavaChatClient a = joined(newUser("bc-a"), room);
        JavaChatClient b = joined(newUser("bc-b"), room);
        JavaChatClient c = joined(carol, room);
        // Let the last join's announcements (online users, event message) pass before counting.
        await().atMost(JavaChatClient.TIMEOUT).until(() -> a.received("onlineUsers").stream()
                .anyMatch(p -> p.path("users").size() == 3));
        a.awaitEvent(
                "receiveMessage",
                p -> p.path("isEvent").asBoolean()
                        && p.path("userMail").asText().equals(carol.email()));
        int before = server.broadcastRecipients().size();

        JsonNode ack = a.request("sendMessage", message(room, "to all three"));

        for (JavaChatClient client : List.of(a, b, c)) {
            client.awaitEvent("receiveMessage", p -> p.path("id").equals(ack.path("id")));
        }
        assertThat(server.broadcastRecipients()
                        .subList(before, server.broadcastRecipients().size()))
                .contains(3);
    }

    @Test
    void disconnectingTheLastSocketOfAUserTakesThemOffline() {
        User alice = newUser("dc-a");
        User bob = newUser("dc-b");
        String room = newRoom("Disconnect");
        JavaChatClient a = joined(alice, room);
        JavaChatClient bobPhone = joined(bob, room);
        JavaChatClient bobLaptop = joined(bob, room);
        a.awaitEvent("onlineUsers", p -> usersAre(p, room, alice.email(), bob.email()));
        String phoneSocketId = bobPhone.socket().id();
        assertThat(server.endpoint().server().namespace("/").socket(phoneSocketId))
                .isPresent();

        bobPhone.close();
        await().atMost(JavaChatClient.TIMEOUT).until(() -> server.endpoint()
                .server()
                .namespace("/")
                .socket(phoneSocketId)
                .isEmpty());
        assertThat(a.request("getOnlineUsers", roomPayload(room)).path("users"))
                .containsExactlyInAnyOrder(
                        JsonNodeFactory.instance.textNode(alice.email()),
                        JsonNodeFactory.instance.textNode(bob.email()));

        bobLaptop.close();
        a.awaitEvent("onlineUsers", p -> usersAre(p, room, alice.email()));
        a.awaitEvent(
                "receiveMessage",
                p -> p.path("isEvent").asBoolean()
                        && p.path("userMail").asText().equals(bob.email())
                        && p.path("messageText").asText().contains("left"));
    }
}
