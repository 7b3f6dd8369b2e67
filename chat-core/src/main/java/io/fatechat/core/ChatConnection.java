package io.fatechat.core;

import io.fatechat.spi.ChatMessage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One authenticated client connection (a socket), created by {@link ChatEngine#connect}. All chat actions of
 * a client go through it, so the sender's identity always comes from the authenticated session.
 *
 * <p>Methods may call stores over the network: transports call them off their I/O threads. They are
 * thread-safe and may be called concurrently. Refusals are thrown as {@link io.fatechat.spi.ChatException}
 * subclasses: every check on the input, membership and limits is thrown synchronously; the stage of a send
 * completes exceptionally only when the message could not be made durable (bus or history store
 * {@link io.fatechat.spi.BackendUnavailableException}, or {@link io.fatechat.spi.ClosedException}).
 */
public interface ChatConnection extends AutoCloseable {

    /** Unique across the deployment (node id prefixed). */
    String id();

    /** The authenticated user's e-mail. */
    String user();

    /** The canonical names of the rooms this connection has joined. */
    Set<String> rooms();

    /**
     * Joins an existing room (name compared case-insensitively) and returns its canonical name. The room's
     * local connections receive the new online users and a join event message. Joining twice is a no-op.
     */
    String joinRoom(String roomName);

    /**
     * Like {@link #joinRoom(String)}, but calls {@code beforeAnnounce} with the canonical name once the join
     * is recorded and before the room is told: a transport indexes the connection under the room there, so
     * that the client also receives its own join event message and the new online users.
     */
    default String joinRoom(String roomName, Consumer<String> beforeAnnounce) {
        String canonical = joinRoom(roomName);
        beforeAnnounce.accept(canonical);
        return canonical;
    }

    /**
     * Leaves a room and returns its canonical name; the room receives the new online users and a leave event
     * message. Leaving a room this connection is not in changes nothing and still returns the name.
     *
     * @throws io.fatechat.spi.UnknownRoomException when no such room exists
     */
    String leave(String roomName);

    /**
     * Sends to a joined room. Completes at the engine's {@link AckPoint}. A {@code clientId} already
     * used by this user returns the original message's id and time with {@code duplicate = true}, and nothing
     * new is published.
     *
     * @throws io.fatechat.spi.NotInRoomException when this connection has not joined the room
     * @throws io.fatechat.spi.UnknownRoomException when no such room exists
     * @throws io.fatechat.spi.MessageTooLongException when the text exceeds {@link ChatLimits#maxMessageLength()}
     * @throws io.fatechat.spi.InvalidInputException for an empty text, a bad room name or client id
     * @throws io.fatechat.spi.RateLimitedException beyond {@link ChatLimits#messagesPerSecond()} for this user
     */
    CompletionStage<SendReceipt> sendMessage(String roomName, String text, String clientId);

    /**
     * Sends a private message to a registered user (oneself included: a note to self). Completes at the
     * engine's {@link AckPoint}; de-duplicated by {@code clientId} like {@link #sendMessage}.
     *
     * @throws io.fatechat.spi.UnknownUserException when {@code toUser} is not registered
     * @throws io.fatechat.spi.InvalidInputException ({@code to}) for a malformed e-mail
     */
    CompletionStage<SendReceipt> sendPrivateMessage(String toUser, String text, String clientId);

    /** The newest {@code count} messages of a room, newest first (capped by the configured maximum). */
    List<ChatMessage> recentMessages(String roomName, int count);

    /** The room's canonical name and the distinct users online in it, sorted. Needs no membership. */
    OnlineUsers onlineUsersIn(String roomName);

    /** Tells the room's other connections that this user is typing. Requires membership. */
    void typing(String roomName);

    /** Leaves every room (the user stays online where another of their connections is). Idempotent. */
    @Override
    void close();
}
