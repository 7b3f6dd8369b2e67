package io.fatechat.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fatechat.core.ChatConnection;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatEventSink;
import io.fatechat.core.OnlineUsers;
import io.fatechat.core.RecoverableSession;
import io.fatechat.core.SendReceipt;
import io.fatechat.socketio.Ack;
import io.fatechat.socketio.BroadcastOperator;
import io.fatechat.socketio.ConnectRefusedException;
import io.fatechat.socketio.SocketIoHandshake;
import io.fatechat.socketio.SocketIoNamespace;
import io.fatechat.socketio.SocketIoServer;
import io.fatechat.socketio.SocketIoSocket;
import io.fatechat.spi.ChatException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ErrorCode;
import io.fatechat.spi.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the chat events of the wire contract (docs/protocol.md) onto a {@link ChatEngine} for the sockets of one
 * Socket.IO namespace, and delivers the engine's events back to them.
 *
 * <ul>
 *   <li>Handshake: the token comes from the CONNECT auth payload {@code {"token": ...}}, else the
 *       {@code Authorization} header (with or without {@code Bearer}, any case), else the {@code token} query
 *       parameter. Without a valid one the client gets {@code CONNECT_ERROR {"message":"unauthorized"}} and no
 *       event of it is processed. The browser {@code Origin} allowlist is the protocol layer's
 *       ({@link io.fatechat.socketio.SocketIoConfig#allowedOrigins()}).</li>
 *   <li>One {@link ChatConnection} per socket, closed when the socket disconnects; with connection state recovery
 *       on ({@link ChatEngine#recoveryEnabled()}), kept for the presence grace after a drop and restorable on any
 *       node within the window ({@link SocketRecovery}).</li>
 *   <li>Every request accepts an optional ack, answered {@code {"ok":true,...}} or
 *       {@code {"ok":false,"error":{"code","message"}}}; a refused request without an ack gets a
 *       {@code chatError {code, message}} event instead.</li>
 *   <li>As the engine's {@link ChatEventSink}, it sends each delivery with one room broadcast of the protocol
 *       layer, so the packet is encoded once for all local recipients.</li>
 * </ul>
 *
 * <p>Handlers run on the protocol layer's worker pool, in order per socket; sends are acked when the engine's
 * stage completes, without blocking a worker.
 */
public final class ChatSocketIoBinding implements ChatEventSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChatSocketIoBinding.class);

    /** Client-to-server events. */
    static final String JOIN_ROOM = "joinRoom";

    static final String LEAVE_ROOM = "leaveRoom";
    static final String SEND_MESSAGE = "sendMessage";
    static final String GET_RECENT_MESSAGES = "getRecentMessages";
    static final String GET_ONLINE_USERS = "getOnlineUsers";
    static final String SEND_PRIVATE_MESSAGE = "sendPrivateMessage";
    static final String TYPING = "typing";
    static final String GET_CONVERSATIONS = "getConversations";
    static final String MARK_READ = "markRead";
    static final String GET_READ_MARKERS = "getReadMarkers";

    /** Server-to-client events. */
    static final String RECEIVE_MESSAGE = "receiveMessage";

    static final String RECENT_MESSAGES = "recentMessages";
    static final String ONLINE_USERS = "onlineUsers";
    static final String PRIVATE_MESSAGE = "privateMessage";
    static final String CHAT_ERROR = "chatError";
    static final String CONVERSATIONS = "conversations";
    static final String UNREAD_COUNT = "unreadCount";
    static final String MESSAGE_READ = "messageRead";
    /** Conversations per page when a request names no limit. */
    static final int DEFAULT_CONVERSATION_PAGE = 50;

    static final String UNAUTHORIZED = "unauthorized";

    private static final String CONNECTION_ATTRIBUTE = ChatConnection.class.getName();

    private final ChatEngine engine;
    private final SocketIoNamespace namespace;
    private final AutoCloseable attachment;
    private final SocketRecovery recovery;
    private volatile boolean closed;

    private ChatSocketIoBinding(ChatEngine engine, SocketIoNamespace namespace) {
        this.engine = engine;
        this.namespace = namespace;
        this.recovery = new SocketRecovery(engine);
        namespace.use(this::authorize);
        namespace.onConnection(this::onConnection);
        this.attachment = engine.attach(this);
    }

    /**
     * Binds {@code engine} to {@code namespace} (normally {@code /}): registers the handshake authorizer and
     * the event handlers, and attaches the binding to the engine as its event sink.
     */
    public static ChatSocketIoBinding bind(ChatEngine engine, SocketIoNamespace namespace) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(namespace, "namespace");
        return new ChatSocketIoBinding(engine, namespace);
    }

    /** Binds {@code engine} to the default namespace {@code /} of {@code server}. */
    public static ChatSocketIoBinding bind(ChatEngine engine, SocketIoServer server) {
        Objects.requireNonNull(server, "server");
        return bind(engine, server.namespace("/"));
    }

    /** The namespace this binding serves. */
    public SocketIoNamespace namespace() {
        return namespace;
    }

    /**
     * Detaches from the engine and refuses new sockets. Sockets already connected are left to the server's
     * shutdown, which disconnects them (and so closes their chat connections).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            attachment.close();
        } catch (Exception e) {
            LOG.warn("Could not detach the Socket.IO binding from the chat engine", e);
        }
    }

    // ---- handshake and connection lifecycle ----

    private Object authorize(SocketIoHandshake handshake) {
        if (closed) {
            throw new ConnectRefusedException("server shutting down");
        }
        String token = HandshakeToken.of(handshake);
        if (token == null) {
            LOG.debug("Refused a Socket.IO connection from {}: no token", handshake.remoteAddress());
            throw new ConnectRefusedException(UNAUTHORIZED);
        }
        try {
            return recovery.accept(engine.authenticate(token), handshake);
        } catch (ChatException e) {
            // Whatever was wrong with the token, the client learns only that it was refused.
            LOG.debug("Refused a Socket.IO connection from {}: {}", handshake.remoteAddress(), e.getMessage());
            throw new ConnectRefusedException(UNAUTHORIZED);
        }
    }

    private void onConnection(SocketIoSocket socket) {
        String user = SocketRecovery.user(socket.principal());
        if (user == null) {
            // Another authorizer on this namespace let an anonymous socket through: it gets no chat.
            LOG.warn("Socket {} reached the chat without an authenticated user; disconnecting it", socket.id());
            socket.disconnect(false);
            return;
        }
        RecoverableSession session;
        try {
            // The socket's id names the chat connection too, so the engine's connection ids (the typist to
            // leave out, the connection to cut off) are socket ids here.
            session = recovery.open(socket, socket.principal());
        } catch (RuntimeException e) {
            ChatFailure failure = ChatFailure.of(e, "connect", user);
            socket.emit(CHAT_ERROR, ChatWireFormat.chatError(failure));
            socket.disconnect(false);
            return;
        }
        ChatConnection connection = session.connection();
        socket.attributes().put(CONNECTION_ATTRIBUTE, connection);
        // One object per socket answers every event and the disconnect, rather than a lambda and a handler-map
        // entry per event: an idle chat socket holds a few bytes of it instead of some 800 (issue 11).
        SocketEvents events = new SocketEvents(socket, session);
        socket.onDisconnect(events);
        socket.onUnknownEvent(events);

        if (!socket.connected()) {
            // It went away while we set up; the disconnect callback may have been registered too late.
            disconnected(socket, session, io.fatechat.socketio.DisconnectReason.TRANSPORT_CLOSE);
        }
    }

    private void disconnected(
            SocketIoSocket socket, RecoverableSession session, io.fatechat.socketio.DisconnectReason reason) {
        ChatConnection connection = session.connection();
        try {
            recovery.closed(socket, session, reason);
        } catch (RuntimeException e) {
            LOG.warn("Closing the chat connection of {} (socket {}) failed", connection.user(), socket.id(), e);
        }
    }

    /** The events of one socket, dispatched by name; registered as the socket's only handler. */
    private final class SocketEvents
            implements io.fatechat.socketio.UnknownEventHandler, Consumer<io.fatechat.socketio.DisconnectReason> {
        private final SocketIoSocket socket;
        private final RecoverableSession session;
        private final ChatConnection connection;

        SocketEvents(SocketIoSocket socket, RecoverableSession session) {
            this.socket = socket;
            this.session = session;
            this.connection = session.connection();
        }

        @Override
        public void accept(io.fatechat.socketio.DisconnectReason reason) {
            disconnected(socket, session, reason);
        }

        @Override
        public void onEvent(String event, ArrayNode args, Ack ack) {
            switch (event) {
                case JOIN_ROOM -> handle(
                        socket, connection, event, args, ack, payload -> joinRoom(socket, session, payload));
                case LEAVE_ROOM -> handle(
                        socket, connection, event, args, ack, payload -> leaveRoom(socket, session, payload));
                case SEND_MESSAGE -> handle(
                        socket, connection, event, args, ack, payload -> sendMessage(connection, payload));
                case GET_RECENT_MESSAGES -> handle(
                        socket, connection, event, args, ack, payload -> recentMessages(socket, connection, payload));
                case GET_ONLINE_USERS -> handle(
                        socket, connection, event, args, ack, payload -> onlineUsers(socket, connection, payload));
                case SEND_PRIVATE_MESSAGE -> handle(
                        socket, connection, event, args, ack, payload -> sendPrivateMessage(connection, payload));
                case TYPING -> handle(socket, connection, event, args, ack, payload -> typing(connection, payload));
                case GET_CONVERSATIONS -> handle(
                        socket,
                        connection,
                        event,
                        args,
                        ack,
                        payload -> conversations(socket, connection, payload),
                        true);
                case MARK_READ -> handle(
                        socket, connection, event, args, ack, payload -> markRead(connection, payload));
                case GET_READ_MARKERS -> handle(
                        socket, connection, event, args, ack, payload -> readMarkers(connection, payload));
                default -> respond(
                        socket,
                        connection,
                        event,
                        ack,
                        CompletableFuture.failedFuture(
                                new InvalidInputException("event", "unknown event '" + abbreviate(event) + "'")));
            }
        }
    }

    // ---- requests ----

    @FunctionalInterface
    private interface Request {
        /** Handles a validated payload object; the stage completes with the ack body. */
        CompletionStage<? extends JsonNode> handle(RequestPayload payload);
    }

    private void handle(
            SocketIoSocket socket, ChatConnection connection, String event, ArrayNode args, Ack ack, Request request) {
        handle(socket, connection, event, args, ack, request, false);
    }

    private void handle(
            SocketIoSocket socket,
            ChatConnection connection,
            String event,
            ArrayNode args,
            Ack ack,
            Request request,
            boolean payloadOptional) {
        CompletionStage<? extends JsonNode> result;
        try {
            JsonNode first = args.isEmpty() ? null : args.get(0);
            result = request.handle(payloadOptional ? RequestPayload.ofOptional(first) : RequestPayload.of(first));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        respond(socket, connection, event, ack, result);
    }

    private void respond(
            SocketIoSocket socket,
            ChatConnection connection,
            String event,
            Ack ack,
            CompletionStage<? extends JsonNode> result) {
        result.whenComplete((body, error) -> {
            try {
                answer(socket, connection, event, ack, body, error);
            } catch (RuntimeException e) {
                // Runs on whichever thread completed the stage; nothing may escape into it unnoticed.
                LOG.warn("Could not answer '{}' of {} (socket {})", event, connection.user(), socket.id(), e);
            }
        });
    }

    private static void answer(
            SocketIoSocket socket, ChatConnection connection, String event, Ack ack, JsonNode body, Throwable error) {
        if (error == null) {
            if (ack.requested()) {
                ack.send(body);
            }
            return;
        }
        ChatFailure failure = ChatFailure.of(error, event, connection.user());
        if (ack.requested()) {
            ack.send(ChatWireFormat.errorAck(failure));
        } else {
            socket.emit(CHAT_ERROR, ChatWireFormat.chatError(failure));
        }
    }

    private CompletionStage<ObjectNode> joinRoom(
            SocketIoSocket socket, RecoverableSession session, RequestPayload payload) {
        ChatConnection connection = session.connection();
        // The engine calls back before it tells the room, so this socket also gets its own join event message
        // and the new online users.
        String canonical = connection.joinRoom(payload.requiredString("roomName"), room -> socket.join(roomKey(room)));
        session.joined(canonical);
        return CompletableFuture.completedFuture(ChatWireFormat.ok().put("roomName", canonical));
    }

    private CompletionStage<ObjectNode> leaveRoom(
            SocketIoSocket socket, RecoverableSession session, RequestPayload payload) {
        String canonical = session.connection().leave(payload.requiredString("roomName"));
        socket.leave(roomKey(canonical));
        session.left(canonical);
        return CompletableFuture.completedFuture(ChatWireFormat.ok().put("roomName", canonical));
    }

    private CompletionStage<ObjectNode> sendMessage(ChatConnection connection, RequestPayload payload) {
        String room = payload.requiredString("roomName");
        String text = payload.requiredString("message");
        String clientId = payload.optionalString("clientId");
        return connection.sendMessage(room, text, clientId).thenApply(ChatWireFormat::sent);
    }

    private CompletionStage<ObjectNode> sendPrivateMessage(ChatConnection connection, RequestPayload payload) {
        String to = payload.requiredString("to");
        String text = payload.requiredString("message");
        String clientId = payload.optionalString("clientId");
        CompletionStage<SendReceipt> receipt = connection.sendPrivateMessage(to, text, clientId);
        return receipt.thenApply(ChatWireFormat::sent);
    }

    private CompletionStage<ObjectNode> recentMessages(
            SocketIoSocket socket, ChatConnection connection, RequestPayload payload) {
        String room = payload.requiredString("roomName");
        int count = payload.requiredPositiveInt("count");
        ArrayNode messages = ChatWireFormat.roomMessages(connection.recentMessages(room, count));
        socket.emit(RECENT_MESSAGES, messages);
        ObjectNode ack = ChatWireFormat.ok();
        ack.set("messages", messages);
        return CompletableFuture.completedFuture(ack);
    }

    private CompletionStage<ObjectNode> onlineUsers(
            SocketIoSocket socket, ChatConnection connection, RequestPayload payload) {
        OnlineUsers online = connection.onlineUsersIn(payload.requiredString("roomName"));
        ObjectNode event = ChatWireFormat.onlineUsers(online.room(), online.users());
        socket.emit(ONLINE_USERS, event);
        ObjectNode ack = ChatWireFormat.ok();
        ack.setAll(event);
        return CompletableFuture.completedFuture(ack);
    }

    private CompletionStage<ObjectNode> typing(ChatConnection connection, RequestPayload payload) {
        connection.typing(payload.requiredString("roomName"));
        return CompletableFuture.completedFuture(ChatWireFormat.ok());
    }

    private CompletionStage<ObjectNode> conversations(
            SocketIoSocket socket, ChatConnection connection, RequestPayload payload) {
        int limit = payload.optionalPositiveInt("limit", DEFAULT_CONVERSATION_PAGE);
        String after = payload.optionalString("after");
        ObjectNode page =
                ChatWireFormat.conversations(connection.user(), engine.conversations(connection.user(), after, limit));
        socket.emit(CONVERSATIONS, page);
        ObjectNode ack = ChatWireFormat.ok();
        ack.setAll(page);
        return CompletableFuture.completedFuture(ack);
    }

    private CompletionStage<ObjectNode> markRead(ChatConnection connection, RequestPayload payload) {
        String room = payload.optionalString("roomName");
        String with = payload.optionalString("with");
        String messageId = payload.requiredString("messageId");
        ObjectNode ack = ChatWireFormat.ok();
        ack.set(
                "conversation",
                ChatWireFormat.conversation(
                        connection.user(), engine.markRead(connection.user(), room, with, messageId)));
        return CompletableFuture.completedFuture(ack);
    }

    private CompletionStage<ObjectNode> readMarkers(ChatConnection connection, RequestPayload payload) {
        var markers = engine.readMarkers(
                connection.user(), payload.optionalString("roomName"), payload.optionalString("with"));
        ObjectNode ack = ChatWireFormat.ok();
        var array = ack.putArray("markers");
        for (var marker : markers) {
            array.addObject().put("userMail", marker.user()).put("messageId", marker.messageId());
        }
        return CompletableFuture.completedFuture(ack);
    }

    // ---- deliveries from the engine (bus threads; the protocol layer's emit never blocks) ----

    @Override
    public void roomMessage(ChatMessage message) {
        String room = message.conversation().roomName();
        recovery.deliver(message, except -> except(namespace.to(roomKey(room)), except)
                .emit(RECEIVE_MESSAGE, recovery.messageArgs(ChatWireFormat.roomMessage(message), message)));
    }

    @Override
    public void privateMessage(ChatMessage message) {
        recovery.deliver(message, except -> except(
                        namespace.to(userRoom(message.sender())).to(userRoom(ChatWireFormat.recipient(message))),
                        except)
                .emit(PRIVATE_MESSAGE, recovery.messageArgs(ChatWireFormat.privateMessage(message), message)));
    }

    /** Connection state recovery of this binding's sockets. */
    SocketRecovery recovery() {
        return recovery;
    }

    /** Leaves out the sockets {@code socketIds} (each socket is in the room of its id). */
    private static BroadcastOperator except(BroadcastOperator broadcast, Set<String> socketIds) {
        for (String socketId : socketIds) {
            broadcast = broadcast.except(socketId);
        }
        return broadcast;
    }

    @Override
    public void onlineUsers(String room, List<String> users) {
        namespace.to(roomKey(room)).emit(ONLINE_USERS, ChatWireFormat.onlineUsers(room, users));
    }

    @Override
    public void typing(String room, String user, String originConnectionId) {
        var broadcast = namespace.to(roomKey(room));
        if (originConnectionId != null) {
            // A connection id is its socket's id (see onConnection), and each socket is in the room of its id.
            broadcast = broadcast.except(originConnectionId);
        }
        broadcast.emit(TYPING, ChatWireFormat.typing(room, user));
    }

    @Override
    public void disconnect(String connectionId, String reason) {
        namespace.socket(connectionId).ifPresent(socket -> {
            ChatFailure failure = reason.equals("unauthorized")
                    ? new ChatFailure(ErrorCode.UNAUTHORIZED, "your session has ended; log in again")
                    : new ChatFailure(ErrorCode.RATE_LIMITED, "too many requests over the limits; disconnected");
            socket.emit(CHAT_ERROR, ChatWireFormat.chatError(failure));
            socket.disconnect(true);
        });
    }

    @Override
    public void unreadCount(String user, ConversationId conversation, long unreadCount, String readMessageId) {
        namespace
                .to(userRoom(user))
                .emit(UNREAD_COUNT, ChatWireFormat.unreadCount(user, conversation, unreadCount, readMessageId));
    }

    @Override
    public void messageRead(ConversationId conversation, String reader, String messageId) {
        ObjectNode payload = ChatWireFormat.messageRead(conversation, reader, messageId);
        if (conversation.isRoom()) {
            namespace
                    .to(roomKey(conversation.roomName()))
                    .except(userRoom(reader))
                    .emit(MESSAGE_READ, payload);
            return;
        }
        String other = ChatWireFormat.otherMember(reader, conversation);
        if (!other.equalsIgnoreCase(reader)) {
            namespace.to(userRoom(other)).emit(MESSAGE_READ, payload);
        }
    }

    // ---- socket room names ----

    /** The socket room of a chat room, by its canonical name (lower-cased like the engine's room keys). */
    static String roomKey(String roomName) {
        return "chat-room:" + roomName.toLowerCase(Locale.ROOT);
    }

    /** The socket room holding every socket of one user, for private messages. */
    static String userRoom(String user) {
        return "chat-user:" + user.toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String event) {
        return event.length() <= 64 ? event : event.substring(0, 64) + "...";
    }
}
