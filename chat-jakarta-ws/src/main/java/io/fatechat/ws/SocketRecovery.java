package io.fatechat.ws;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.RecoverableSession;
import io.fatechat.core.RecoveryClaim;
import io.fatechat.socketio.ConnectAcceptance;
import io.fatechat.socketio.DisconnectReason;
import io.fatechat.socketio.SocketIoHandshake;
import io.fatechat.socketio.SocketIoSocket;
import io.fatechat.spi.ChatMessage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Socket.IO connection state recovery for {@link ChatSocketIoBinding}, as stock clients (socket.io-client 4.6+)
 * speak it: the CONNECT answer carries a pid; every message event carries the message id as its last argument (the
 * client's offset); a client that reconnects with its pid and offset in the CONNECT auth gets the same pid back
 * (so {@code socket.recovered} is true), its rooms, and the messages it missed, before any live event.
 */
final class SocketRecovery {

    /** Drops after which the client may come back: not a goodbye of either side. */
    private static final Set<DisconnectReason> RECOVERABLE = EnumSet.of(DisconnectReason.TRANSPORT_CLOSE,
            DisconnectReason.TRANSPORT_ERROR, DisconnectReason.PING_TIMEOUT, DisconnectReason.SERVER_SHUTTING_DOWN);

    private final ChatEngine engine;

    SocketRecovery(ChatEngine engine) {
        this.engine = engine;
    }

    /** Whether message events carry offsets. */
    boolean enabled() {
        return engine.recoveryEnabled();
    }

    /** What the authorizer returns for an authenticated {@code user}: the user alone, or a claim with its pid. */
    Object accept(String user, SocketIoHandshake handshake) {
        if (!engine.recoveryEnabled()) {
            return user;
        }
        RecoveryClaim claim = engine.claimRecovery(user, handshake.recoveryPid(), handshake.recoveryOffset());
        return claim.pid() == null ? user : ConnectAcceptance.of(claim, claim.pid());
    }

    /** The authenticated user of a socket's principal, or null. */
    static String user(Object principal) {
        if (principal instanceof String user) {
            return user;
        }
        return principal instanceof RecoveryClaim claim ? claim.user() : null;
    }

    /**
     * Opens the socket's session. For a recovered one, the missed messages are sent first and only then is the
     * socket put in its rooms, so that no live message overtakes them; then it gets each room's online users.
     */
    RecoverableSession open(SocketIoSocket socket, Object principal, Consumer<String> joinSocketRoom) {
        RecoveryClaim claim = principal instanceof RecoveryClaim c ? c
                : engine.claimRecovery(user(principal), null, null);
        List<String> rooms = new ArrayList<>();
        // the socket's id names the chat connection too (the typist to leave out, the connection to cut off)
        RecoverableSession session = engine.openRecoverable(claim, socket.id(), rooms::add);
        for (ChatMessage message : session.replay()) {
            if (message.conversation().isRoom()) {
                socket.emit(ChatSocketIoBinding.RECEIVE_MESSAGE, ChatWireFormat.roomMessage(message), message.id());
            } else {
                socket.emit(ChatSocketIoBinding.PRIVATE_MESSAGE, ChatWireFormat.privateMessage(message), message.id());
            }
        }
        for (String room : rooms) {
            joinSocketRoom.accept(room);
        }
        for (String room : rooms) {
            try {
                socket.emit(ChatSocketIoBinding.ONLINE_USERS,
                        ChatWireFormat.onlineUsers(room, session.connection().onlineUsersIn(room).users()));
            } catch (RuntimeException e) {
                // a hint only: the next change of the room's presence sends it anyway
            }
        }
        return session;
    }

    /** Ends the socket's session: kept recoverable after a drop, forgotten after a goodbye. */
    static void closed(RecoverableSession session, DisconnectReason reason) {
        if (RECOVERABLE.contains(reason)) {
            session.suspend();
        } else {
            session.end();
        }
    }

    /** A message event's arguments: the payload, then the message id as offset when recovery is on. */
    Object[] messageArgs(Object payload, ChatMessage message) {
        return enabled() ? new Object[] {payload, message.id()} : new Object[] {payload};
    }
}
