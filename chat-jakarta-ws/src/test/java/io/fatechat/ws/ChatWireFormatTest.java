package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fatechat.core.SendReceipt;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ErrorCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatWireFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-11-27T18:28:31.123456Z");

    private static String json(Object node) throws Exception {
        return JSON.writeValueAsString(node);
    }

    @Test
    void timestampsAreUtcWithExactlyThreeFractionDigits() {
        assertThat(ChatWireFormat.timestamp(AT)).isEqualTo("2026-11-27T18:28:31.123Z");
        assertThat(ChatWireFormat.timestamp(Instant.parse("2026-01-02T03:04:05Z")))
                .isEqualTo("2026-01-02T03:04:05.000Z");
    }

    @Test
    void roomMessageHasTheReceiveMessageShape() throws Exception {
        ChatMessage message = new ChatMessage(
                "0192f0a4-0000-7000-8000-000000000001",
                ConversationId.room("General"),
                "alice@example.com",
                "hi \"all\"",
                false,
                AT,
                "c-1");

        assertThat(json(ChatWireFormat.roomMessage(message)))
                .isEqualTo("{\"id\":\"0192f0a4-0000-7000-8000-000000000001\","
                        + "\"roomName\":\"General\",\"messageText\":\"hi \\\"all\\\"\",\"userMail\":\"alice@example.com\","
                        + "\"isEvent\":false,\"createdAt\":\"2026-11-27T18:28:31.123Z\"}");
    }

    @Test
    void recentMessagesKeepTheEngineOrder() throws Exception {
        ChatMessage newer = new ChatMessage("2", ConversationId.room("r"), "a@x.io", "joined", true, AT, null);
        ChatMessage older = new ChatMessage("1", ConversationId.room("r"), "a@x.io", "hello", false, AT, null);

        var array = ChatWireFormat.roomMessages(List.of(newer, older));

        assertThat(array).hasSize(2);
        assertThat(array.get(0).get("id").asText()).isEqualTo("2");
        assertThat(array.get(0).get("isEvent").asBoolean()).isTrue();
        assertThat(array.get(1).get("id").asText()).isEqualTo("1");
    }

    @Test
    void privateMessageNamesTheOtherMemberAsRecipient() throws Exception {
        ChatMessage fromBob = new ChatMessage(
                "7", ConversationId.direct("bob@x.io", "alice@x.io"), "bob@x.io", "psst", false, AT, null);
        ChatMessage fromAlice = new ChatMessage(
                "8", ConversationId.direct("bob@x.io", "alice@x.io"), "alice@x.io", "psst back", false, AT, null);
        ChatMessage toSelf =
                new ChatMessage("9", ConversationId.direct("me@x.io", "me@x.io"), "me@x.io", "note", false, AT, null);

        assertThat(json(ChatWireFormat.privateMessage(fromBob)))
                .isEqualTo("{\"id\":\"7\",\"from\":\"bob@x.io\","
                        + "\"to\":\"alice@x.io\",\"messageText\":\"psst\",\"createdAt\":\"2026-11-27T18:28:31.123Z\"}");
        assertThat(ChatWireFormat.privateMessage(fromAlice).get("to").asText()).isEqualTo("bob@x.io");
        assertThat(ChatWireFormat.privateMessage(toSelf).get("to").asText()).isEqualTo("me@x.io");
    }

    @Test
    void onlineUsersAndTypingShapes() throws Exception {
        assertThat(json(ChatWireFormat.onlineUsers("r", List.of("a@x.io", "b@x.io"))))
                .isEqualTo("{\"roomName\":\"r\",\"users\":[\"a@x.io\",\"b@x.io\"]}");
        assertThat(json(ChatWireFormat.onlineUsers("r", List.of()))).isEqualTo("{\"roomName\":\"r\",\"users\":[]}");
        assertThat(json(ChatWireFormat.typing("r", "a@x.io")))
                .isEqualTo("{\"roomName\":\"r\",\"userMail\":\"a@x.io\"}");
    }

    @Test
    void ackShapes() throws Exception {
        assertThat(json(ChatWireFormat.ok())).isEqualTo("{\"ok\":true}");
        assertThat(json(ChatWireFormat.sent(new SendReceipt("42", AT, false))))
                .isEqualTo("{\"ok\":true,\"id\":\"42\",\"createdAt\":\"2026-11-27T18:28:31.123Z\"}");
        ChatFailure failure = new ChatFailure(ErrorCode.NOT_IN_ROOM, "not in room 'r': join it first");
        assertThat(json(ChatWireFormat.errorAck(failure)))
                .isEqualTo(
                        "{\"ok\":false,\"error\":{\"code\":\"not_in_room\",\"message\":\"not in room 'r': join it first\"}}");
        assertThat(json(ChatWireFormat.chatError(failure)))
                .isEqualTo("{\"code\":\"not_in_room\",\"message\":\"not in room 'r': join it first\"}");
    }
}
