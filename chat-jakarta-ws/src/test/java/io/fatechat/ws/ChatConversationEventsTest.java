package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.socket.client.IO;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** getConversations, markRead, unreadCount and messageRead with the stock Java client against the real engine. */
class ChatConversationEventsTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static ChatTestServer server;
    private final List<JavaChatClient> clients = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = ChatTestServer.start();
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

    private record User(String email, String token) {}

    private static User newUser(String name) {
        String email = name + "-" + SEQUENCE.incrementAndGet() + "@example.com";
        return new User(email, server.register(email));
    }

    private JavaChatClient connect(User user) {
        IO.Options options = JavaChatClient.options(false);
        options.auth = Map.of("token", user.token());
        JavaChatClient client = JavaChatClient.connect(server.url(), options);
        clients.add(client);
        return client;
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static void assertOk(JsonNode ack) {
        assertThat(ack.path("ok").asBoolean()).as("ok in %s", ack).isTrue();
    }

    private static void assertError(JsonNode ack, String code) {
        assertThat(ack.path("ok").asBoolean()).as("ok in %s", ack).isFalse();
        assertThat(ack.path("error").path("code").asText())
                .as("code in %s", ack)
                .isEqualTo(code);
    }

    @Test
    void unreadCountsReachEverySocketAndReadingTellsTheSender() {
        User alice = newUser("conv-alice");
        User bob = newUser("conv-bob");
        String room = server.createRoom("Conversations " + SEQUENCE.incrementAndGet());
        JavaChatClient aliceSocket = connect(alice);
        JavaChatClient bobTab1 = connect(bob);
        JavaChatClient bobTab2 = connect(bob);
        assertOk(aliceSocket.request("joinRoom", object().put("roomName", room)));
        assertOk(bobTab1.request("joinRoom", object().put("roomName", room)));

        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ids.add(aliceSocket
                    .request("sendMessage", object().put("roomName", room).put("message", "m" + i))
                    .path("id")
                    .asText());
        }

        for (JavaChatClient tab : List.of(bobTab1, bobTab2)) {
            tab.awaitEvent(
                    "unreadCount",
                    e -> room.equals(e.path("roomName").asText())
                            && e.path("unreadCount").asLong() == 3);
        }
        JsonNode listed = bobTab2.request("getConversations");
        assertOk(listed);
        JsonNode conversation = listed.path("conversations").get(0);
        assertThat(conversation.path("type").asText()).isEqualTo("room");
        assertThat(conversation.path("roomName").asText()).isEqualTo(room);
        assertThat(conversation.path("unreadCount").asLong()).isEqualTo(3);
        assertThat(conversation.path("lastMessage").path("id").asText()).isEqualTo(ids.get(2));
        assertThat(conversation.path("lastMessage").path("messageText").asText())
                .isEqualTo("m3");
        assertThat(listed.path("next").isNull()).isTrue();
        assertThat(bobTab2.received("conversations"))
                .as("also emitted, as getRecentMessages is")
                .isNotEmpty();

        JsonNode marked =
                bobTab1.request("markRead", object().put("roomName", room).put("messageId", ids.get(2)));

        assertOk(marked);
        assertThat(marked.path("conversation").path("unreadCount").asLong()).isZero();
        assertThat(marked.path("conversation").path("readMessageId").asText()).isEqualTo(ids.get(2));
        bobTab2.awaitEvent(
                "unreadCount",
                e -> room.equals(e.path("roomName").asText())
                        && e.path("unreadCount").asLong() == 0
                        && ids.get(2).equals(e.path("readMessageId").asText()));
        JsonNode read = aliceSocket.awaitEvent(
                "messageRead", e -> bob.email().equals(e.path("userMail").asText()));
        assertThat(read.path("roomName").asText()).isEqualTo(room);
        assertThat(read.path("messageId").asText()).isEqualTo(ids.get(2));
        assertThat(read.path("conversation").asText())
                .isEqualTo(conversation.path("id").asText());
        JsonNode markers = aliceSocket.request("getReadMarkers", object().put("roomName", room));
        assertOk(markers);
        assertThat(markers.path("markers").toString())
                .contains("\"userMail\":\"" + bob.email() + "\"", "\"messageId\":\"" + ids.get(2) + "\"");
    }

    @Test
    void privateConversationsAreMarkedByTheOtherUser() {
        User alice = newUser("conv-dm-alice");
        User bob = newUser("conv-dm-bob");
        JavaChatClient aliceSocket = connect(alice);
        JavaChatClient bobSocket = connect(bob);
        String id = aliceSocket
                .request("sendPrivateMessage", object().put("to", bob.email()).put("message", "psst"))
                .path("id")
                .asText();

        bobSocket.awaitEvent(
                "unreadCount",
                e -> alice.email().equals(e.path("with").asText())
                        && e.path("unreadCount").asLong() == 1);
        JsonNode listed = bobSocket.request("getConversations", object().put("limit", 10));
        assertThat(listed.path("conversations").get(0).path("with").asText()).isEqualTo(alice.email());
        assertThat(listed.path("conversations").get(0).path("type").asText()).isEqualTo("private");

        assertOk(bobSocket.request(
                "markRead", object().put("with", alice.email()).put("messageId", id)));
        JsonNode read = aliceSocket.awaitEvent(
                "messageRead", e -> id.equals(e.path("messageId").asText()));
        assertThat(read.path("userMail").asText()).isEqualTo(bob.email());
        assertThat(read.has("roomName")).isFalse();
    }

    @Test
    void badRequestsGetClearErrors() {
        User carol = newUser("conv-carol");
        String room = server.createRoom("Not joined " + SEQUENCE.incrementAndGet());
        JavaChatClient socket = connect(carol);
        String someId = "01900000-0000-7000-8000-000000000000";

        assertError(socket.request("markRead", object().put("roomName", room)), "invalid_input");
        assertError(socket.request("markRead", object().put("roomName", room).put("messageId", someId)), "not_in_room");
        assertError(
                socket.request(
                        "markRead", object().put("roomName", "Nowhere at all").put("messageId", someId)),
                "not_found");
        assertError(socket.request("markRead", object().put("messageId", someId)), "invalid_input");
        assertError(socket.request("markRead", object().put("roomName", room).put("messageId", "x")), "invalid_input");
        assertError(socket.request("getConversations", object().put("after", "garbage")), "invalid_input");
        assertError(socket.request("getConversations", object().put("limit", "ten")), "invalid_input");
        assertError(socket.request("getConversations", "not an object"), "invalid_input");
        assertError(socket.request("getReadMarkers", object().put("roomName", room)), "not_in_room");
        assertOk(socket.request("getConversations", object()));
    }
}
