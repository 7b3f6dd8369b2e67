package io.fatechat.core;

import io.fatechat.spi.ChatMessage;
import java.util.List;

/**
 * One socket's recoverable chat session, from {@link ChatEngine#openRecoverable}: its connection, and what a
 * recovered client missed. The transport tells it about joins and leaves (so that every node knows the rooms to
 * restore) and how the socket ended.
 */
public interface RecoverableSession {

    /** The pid the client got, or null when recovery is off. */
    String pid();

    /** Whether the client's earlier session was restored: its rooms are joined again and {@link #replay()} holds what it missed. */
    boolean recovered();

    /** The socket's chat connection. */
    ChatConnection connection();

    /**
     * The messages the client missed while away, oldest first, each once: room messages (join and leave events
     * included) of its rooms and private messages to or from its user, read from durable history. Empty for a
     * fresh session. The transport sends them before any live event.
     */
    List<ChatMessage> replay();

    /**
     * False when a recovered client missed more than the replay maximum after all (more arrived between the CONNECT
     * answer, which promised recovery, and the replay's read): {@link #replay()} is then empty and the transport
     * must end the socket with a clear error rather than let live events follow a gap.
     */
    default boolean replayComplete() {
        return true;
    }

    /** The offset events carry until the socket is sent a message: the last replayed id, or the session's start. */
    String offset();

    /**
     * The offset the replay starts after: the client's own offset, or its session's start when that is later. The
     * client already had every message up to it, so a live event at or before it (a node's bus consumer lagging
     * behind history) must not be sent again. The session's start for a fresh session.
     */
    String replayFrom();

    /** The connection joined {@code room} (canonical name): recorded so that a recovery rejoins it. */
    void joined(String room);

    /** The connection left {@code room}. */
    void left(String room);

    /**
     * The socket dropped without saying goodbye (transport closed or timed out): the session stays recoverable
     * for the window, and the connection keeps its user online for the presence grace before it is closed.
     */
    void suspend();

    /** The client left on purpose (or the server cut it off): the connection closes now, the session is forgotten. */
    void end();
}
