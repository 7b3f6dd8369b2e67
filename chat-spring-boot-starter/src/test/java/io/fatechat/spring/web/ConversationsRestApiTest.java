package io.fatechat.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fatechat.core.ChatConnection;
import io.fatechat.core.ChatEngine;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** GET /api/conversations and POST /api/conversations/{id}/read on a real Tomcat, with their errors. */
@SpringBootTest(
        classes = ConversationsRestApiTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "fatechat.auth.bcrypt-cost=4",
            "fatechat.auth.token-secret=rest-api-test-secret-of-32-bytes!!",
            "management.health.diskspace.enabled=false"
        })
class ConversationsRestApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    ChatEngine engine;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void listsConversationsWithUnreadCountsAndMarksThemRead() throws Exception {
        String ann = "ann-rest@example.com";
        String ben = "ben-rest@example.com";
        engine.register(ann, "password-1");
        String benToken = engine.register(ben, "password-2");
        engine.createRoom(ann, "rest room");
        engine.createRoom(ann, "quiet room");
        ChatConnection annConnection = engine.connect(ann);
        ChatConnection benConnection = engine.connect(ben);
        annConnection.joinRoom("rest room");
        benConnection.joinRoom("quiet room");
        benConnection.joinRoom("rest room");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ids.add(annConnection
                    .sendMessage("rest room", "m" + i, null)
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .id());
        }
        // Polled below the per-user limit of 10 conversation requests a second (counts land up to a second late).
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(300))
                .until(() -> call("GET", "/api/conversations", null, benToken)
                                .json
                                .path("conversations")
                                .path(0)
                                .path("unreadCount")
                                .asLong()
                        == 3);

        JsonNode page = call("GET", "/api/conversations?limit=1", null, benToken).json;
        JsonNode first = page.path("conversations").get(0);
        assertThat(first.path("roomName").asText()).as("newest activity first").isEqualTo("rest room");
        assertThat(first.path("lastMessage").path("messageText").asText()).isEqualTo("m3");
        JsonNode second = call(
                        "GET",
                        "/api/conversations?limit=1&after=" + page.path("next").asText(),
                        null,
                        benToken)
                .json;
        assertThat(second.path("conversations").get(0).path("roomName").asText())
                .isEqualTo("quiet room");
        assertThat(second.path("next").isNull()).isTrue();

        Response read = call(
                "POST",
                "/api/conversations/" + encode(first.path("id").asText()) + "/read",
                "{\"messageId\":\"" + ids.get(2) + "\"}",
                benToken);
        assertThat(read.status).isEqualTo(200);
        assertThat(read.json.path("unreadCount").asLong()).isZero();
        assertThat(read.json.path("readMessageId").asText()).isEqualTo(ids.get(2));
        assertThat(call("GET", "/api/conversations", null, benToken)
                        .json
                        .path("conversations")
                        .get(0)
                        .path("unreadCount")
                        .asLong())
                .isZero();
    }

    @Test
    void badRequestsGetJsonErrors() throws Exception {
        String cid = "cid-rest@example.com";
        String token = engine.register(cid, "password-3");
        engine.createRoom(cid, "not joined by cid");
        String someId = "01900000-0000-7000-8000-000000000000";
        String body = "{\"messageId\":\"" + someId + "\"}";

        assertError(call("GET", "/api/conversations", null, null), 401, "unauthorized");
        assertError(call("GET", "/api/conversations?limit=x", null, token), 400, "invalid_input");
        assertError(call("GET", "/api/conversations?after=garbage", null, token), 400, "invalid_input");
        assertError(
                call("POST", "/api/conversations/" + encode("r:not joined by cid") + "/read", body, token),
                403,
                "not_in_room");
        assertError(
                call("POST", "/api/conversations/" + encode("d:a@x.io b@x.io") + "/read", body, token),
                403,
                "forbidden");
        assertError(
                call("POST", "/api/conversations/" + encode("r:no such room") + "/read", body, token),
                404,
                "not_found");
        assertError(call("POST", "/api/conversations/nonsense/read", body, token), 400, "invalid_input");
        assertError(
                call(
                        "POST",
                        "/api/conversations/" + encode("r:not joined by cid") + "/read",
                        "{\"messageId\":\"yesterday\"}",
                        token),
                400,
                "invalid_input");
        assertError(
                call("POST", "/api/conversations/" + encode("r:not joined by cid") + "/read", "{}", token),
                400,
                "invalid_input");
        assertError(
                call("GET", "/api/conversations/" + encode("r:not joined by cid") + "/read", null, token),
                405,
                "method_not_allowed");
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void assertError(Response response, int status, String code) {
        assertThat(response.status).as(response.body).isEqualTo(status);
        assertThat(response.json.path("code").asText()).as(response.body).isEqualTo(code);
        assertThat(response.json.path("error").asText()).as(response.body).isNotBlank();
    }

    private Response call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(
                response.statusCode(),
                response.body(),
                response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
    }

    private record Response(int status, String body, JsonNode json) {}

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}
}
