package io.fatechat.socketio;

import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * One client connected to one namespace. Thread-safe: emit, join and leave may be called from any thread.
 * Handlers registered here run on the worker pool, in order per connection.
 */
public interface SocketIoSocket {

    /** The socket id (also the name of a room the socket is always in). */
    String id();

    /** The namespace this socket is connected to. */
    SocketIoNamespace namespace();

    /** Headers, query, remote address and auth payload of the connection. */
    SocketIoHandshake handshake();

    /** What the {@link ConnectAuthorizer}s returned, or {@code null}. */
    Object principal();

    /**
     * The private session id of connection state recovery sent in the CONNECT answer (from the authorizer's
     * {@link ConnectAcceptance}), or {@code null} when none was.
     */
    String pid();

    /** {@code polling} or {@code websocket}, at the moment of the call. */
    String transport();

    /** False once disconnected. */
    boolean connected();

    /** Handles event {@code event}; replaces an earlier handler of the same event. */
    SocketIoSocket on(String event, EventHandler handler);

    /** Called for an event that has no handler (e.g. to answer unknown events with an error). */
    SocketIoSocket onUnknownEvent(UnknownEventHandler handler);

    /** Called once when the socket disconnects, for any reason. */
    SocketIoSocket onDisconnect(Consumer<DisconnectReason> handler);

    /**
     * Sends event {@code event} to this client. Arguments are converted to JSON with Jackson; {@code byte[]}
     * anywhere in them become binary attachments. Never blocks: the packet goes to the connection's bounded
     * queue (a full queue disconnects the client as a slow consumer). Ignored after disconnect.
     */
    void emit(String event, Object... args);

    /** Like {@link #emit} and asks the client to acknowledge; {@code callback} runs when it does. */
    void emitWithAck(String event, AckCallback callback, Object... args);

    /** Joins {@code room} of this namespace. */
    void join(String room);

    /** Leaves {@code room}. */
    void leave(String room);

    /** The rooms this socket is in, including its own id. */
    Set<String> rooms();

    /** A broadcast to {@code room} that skips this socket (e.g. "others are typing"). */
    BroadcastOperator to(String room);

    /**
     * Disconnects from the namespace (the client gets a DISCONNECT packet); with {@code close} the whole
     * connection is closed, other namespaces too.
     */
    void disconnect(boolean close);

    /** Free per-socket storage for the application (e.g. the chat session). */
    ConcurrentMap<String, Object> attributes();
}
