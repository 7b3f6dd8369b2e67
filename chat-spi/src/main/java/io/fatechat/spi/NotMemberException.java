package io.fatechat.spi;

/**
 * The user is not a member of the conversation, so may not read or mark it: {@link ErrorCode#NOT_IN_ROOM} for a
 * room (joining fixes it), {@link ErrorCode#FORBIDDEN} for a private conversation.
 */
public class NotMemberException extends ChatException {

    private static final long serialVersionUID = 1L;

    private final String user;
    private final ConversationId conversation;

    public NotMemberException(String user, ConversationId conversation) {
        super(
                conversation.isRoom() ? ErrorCode.NOT_IN_ROOM : ErrorCode.FORBIDDEN,
                "not a member of " + describe(conversation) + ": join it first");
        this.user = user;
        this.conversation = conversation;
    }

    private static String describe(ConversationId conversation) {
        return conversation.isRoom() ? "room '" + conversation.roomName() + "'" : "this private conversation";
    }

    public String user() {
        return user;
    }

    public ConversationId conversation() {
        return conversation;
    }
}
