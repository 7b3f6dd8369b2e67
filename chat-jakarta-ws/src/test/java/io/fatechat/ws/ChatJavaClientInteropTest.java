package io.fatechat.ws;

import static io.fatechat.ws.JavaChatClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fatechat.socketio.SocketIoSocket;
import io.socket.client.IO;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop with the stock Java client {@code io.socket:socket.io-client} 2.1.x, over the default transports
 * (polling, then the upgrade to WebSocket) and WebSocket only: two users join a room, chat, see each other in
 * {@code onlineUsers}, exchange private messages and fetch recent messages; a third user receives none of the
 * private messages; a token-less client is refused.
 */
class ChatJavaClientInteropTest {

    private ChatTestServer server;
    private final List<JavaChatClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = ChatTestServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(JavaChatClient::close);
        server.close();
    }

    private JavaChatClient connect(IO.Options options) {
        JavaChatClient client = JavaChatClient.connect(server.url(), options);
        clients.add(client);
        return client;
    }

    private static ObjectNode room(String room) {
        return JsonNodeFactory.instance.objectNode().put("roomName", room);
    }

    private static boolean usersAre(JsonNode payload, String room, String... users) {
        List<String> actual = new ArrayList<>();
        payload.path("users").forEach(u -> actual.add(u.asText()));
        return payload.path("roomName").asText().equals(room)
                && actual.size() == users.length
                && actual.containsAll(List.of(users));
    }

    @ParameterizedTest(name = "websocketOnly={0}")
    @ValueSource(booleans = {false, true})
    void chatScenario(boolean websocketOnly) {
        String alice = "alice@example.com";
        String bob = "bob@example.com";
        String carol = "carol@example.com";
        String aliceToken = server.register(alice);
        String bobToken = server.register(bob);
        String carolToken = server.register(carol);
        String general = server.createRoom("General");

        // A token-less client is refused with CONNECT_ERROR.
        assertThat(JavaChatClient.connectRefused(server.url(), JavaChatClient.options(websocketOnly)))
                .isEqualTo(json("{'message':'unauthorized'}"));

        // The three handshake auth paths.
        IO.Options aliceOptions = JavaChatClient.options(websocketOnly);
        aliceOptions.auth = Map.of("token", aliceToken);
        JavaChatClient a = connect(aliceOptions);
        IO.Options bobOptions = JavaChatClient.options(websocketOnly);
        bobOptions.extraHeaders = Map.of("Authorization", List.of("BEARER " + bobToken));
        JavaChatClient b = connect(bobOptions);
        IO.Options carolOptions = JavaChatClient.options(websocketOnly);
        carolOptions.query = "token=" + carolToken;
        JavaChatClient c = connect(carolOptions);

        if (websocketOnly) {
            assertThat(a.transportsCreated()).containsExactly("websocket");
        } else {
            // Polling first, then the upgrade: the server sees every socket on WebSocket.
            await().atMost(JavaChatClient.TIMEOUT)
                    .until(() -> server.endpoint().server().namespace("/").sockets().stream()
                            .map(SocketIoSocket::transport)
                            .allMatch("websocket"::equals));
            assertThat(a.transportsCreated()).containsExactly("polling", "websocket");
        }
        assertThat(server.endpoint().server().namespace("/").sockets()).hasSize(3);

        // Both join and see each other online.
        assertThat(a.request("joinRoom", room("general"))).isEqualTo(json("{'ok':true,'roomName':'General'}"));
        assertThat(b.request("joinRoom", room("General"))).isEqualTo(json("{'ok':true,'roomName':'General'}"));
        a.awaitEvent("onlineUsers", p -> usersAre(p, general, alice, bob));
        b.awaitEvent("onlineUsers", p -> usersAre(p, general, alice, bob));
        assertThat(usersAre(b.request("getOnlineUsers", room(general)), general, alice, bob))
                .isTrue();
        assertThat(c.request("joinRoom", room(general)).path("ok").asBoolean()).isTrue();

        // Chat both ways.
        JsonNode hello = a.request("sendMessage", room(general).put("message", "hello bob"));
        assertThat(hello.path("ok").asBoolean()).as("%s", hello).isTrue();
        JsonNode helloAtBob = b.awaitEvent("receiveMessage", p -> p.path("id").equals(hello.path("id")));
        assertThat(helloAtBob.path("messageText").asText()).isEqualTo("hello bob");
        assertThat(helloAtBob.path("userMail").asText()).isEqualTo(alice);
        assertThat(helloAtBob.path("createdAt")).isEqualTo(hello.path("createdAt"));
        JsonNode reply = b.request("sendMessage", room(general).put("message", "hi alice"));
        a.awaitEvent(
                "receiveMessage",
                p -> p.path("id").equals(reply.path("id"))
                        && p.path("userMail").asText().equals(bob));

        // Private messages both ways, seen by sender and recipient.
        JsonNode psst = a.request("sendPrivateMessage", json("{'to':'" + bob + "','message':'psst bob'}"));
        assertThat(psst.path("ok").asBoolean()).as("%s", psst).isTrue();
        JsonNode psstAtBob = b.awaitEvent("privateMessage", p -> p.path("id").equals(psst.path("id")));
        assertThat(psstAtBob)
                .isEqualTo(JsonNodeFactory.instance
                        .objectNode()
                        .put("id", psst.path("id").asText())
                        .put("from", alice)
                        .put("to", bob)
                        .put("messageText", "psst bob")
                        .put("createdAt", psst.path("createdAt").asText()));
        a.awaitEvent("privateMessage", p -> p.path("id").equals(psst.path("id")));
        JsonNode back = b.request("sendPrivateMessage", json("{'to':'" + alice + "','message':'psst alice'}"));
        a.awaitEvent(
                "privateMessage",
                p -> p.path("id").equals(back.path("id"))
                        && p.path("from").asText().equals(bob)
                        && p.path("to").asText().equals(alice));
        b.awaitEvent("privateMessage", p -> p.path("id").equals(back.path("id")));

        // Recent messages, newest first: the chat messages are [reply, hello].
        JsonNode recent = await().atMost(JavaChatClient.TIMEOUT)
                .until(
                        () -> b.request("getRecentMessages", room(general).put("count", 10)),
                        r -> chatIds(r.path("messages")).size() == 2);
        assertThat(chatIds(recent.path("messages")))
                .containsExactly(reply.path("id").asText(), hello.path("id").asText());
        b.awaitEvent("recentMessages", list -> list.equals(recent.path("messages")));

        // Carol, in the same room, never sees the private messages.
        JsonNode fence = a.request("sendMessage", room(general).put("message", "fence"));
        c.awaitEvent("receiveMessage", p -> p.path("id").equals(fence.path("id")));
        assertThat(c.received("privateMessage")).isEmpty();
        assertThat(List.of(a, b, c))
                .allSatisfy(client -> assertThat(client.received("chatError")).isEmpty());

        // Bob goes away: alice sees him leave.
        b.close();
        a.awaitEvent("onlineUsers", p -> usersAre(p, general, alice, carol));
    }

    private static List<String> chatIds(JsonNode messages) {
        List<String> ids = new ArrayList<>();
        messages.forEach(m -> {
            if (!m.path("isEvent").asBoolean()) {
                ids.add(m.path("id").asText());
            }
        });
        return ids;
    }
}
