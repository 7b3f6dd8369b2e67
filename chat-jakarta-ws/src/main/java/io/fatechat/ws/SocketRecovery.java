package io.fatechat.ws;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.RecoverableSession;
import io.fatechat.core.RecoveryClaim;
import io.fatechat.socketio.ConnectAcceptance;
import io.fatechat.socketio.DisconnectReason;
import io.fatechat.socketio.SocketIoHandshake;
import io.fatechat.socketio.SocketIoSocket;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConflictException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Socket.IO connection state recovery for {@link ChatSocketIoBinding}, as stock clients (socket.io-client 4.6+)
 * speak it: the CONNECT answer carries a pid; every message event carries the message id as its last argument (the
 * client's offset); a client that reconnects with its pid and offset in the CONNECT auth gets the same pid back
 * (so {@code socket.recovered} is true), its rooms, and the messages it missed, before any live event.
 */
final class SocketRecovery {

    /** Drops after which the client may come back: not a goodbye of either side. */
    private static final Set<DisconnectReason> RECOVERABLE = EnumSet.of(
            DisconnectReason.TRANSPORT_CLOSE,
            DisconnectReason.TRANSPORT_ERROR,
            DisconnectReason.PING_TIMEOUT,
            DisconnectReason.SERVER_SHUTTING_DOWN);

    /** Live messages a recovering socket may hold while its replay is read and sent. */
    static final int MAX_HELD = 10_000;
    /** Test hook: runs after the replay is read and before the socket goes live. */
    static volatile Runnable afterReplayRead;

    private final ChatEngine engine;
    /** Deliveries take it shared; a recovering socket takes it alone to start holding and to go live. */
    private final ReentrantReadWriteLock deliveries = new ReentrantReadWriteLock();

    private final Set<Held> holding = ConcurrentHashMap.newKeySet();

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
     * Opens the socket's session. A recovered one is made gap-free: the socket is first registered as held (live
     * deliveries for its rooms and user go to a bounded buffer), then the engine rejoins its rooms and reads the
     * replay from history, the replay is sent, then the held live events whose ids were not replayed, and only then
     * does the socket join its broadcast rooms, under the same lock the deliveries take. A message published at any
     * moment of this is thus either in the replay, or held, or live, and sent once in id order.
     *
     * @throws ConflictException when the replay outgrew its maximum after the CONNECT answer promised it, or more
     *     live events arrived meanwhile than are held: the session is ended and the client starts a fresh one
     */
    RecoverableSession open(SocketIoSocket socket, Object principal) {
        Consumer<String> joinSocketRoom = room -> socket.join(ChatSocketIoBinding.roomKey(room));
        RecoveryClaim claim =
                principal instanceof RecoveryClaim c ? c : engine.claimRecovery(user(principal), null, null);
        if (!claim.recovered()) {
            List<String> rooms = new ArrayList<>();
            RecoverableSession session = engine.openRecoverable(claim, socket.id(), rooms::add);
            rooms.forEach(joinSocketRoom);
            socket.join(ChatSocketIoBinding.userRoom(claim.user()));
            return session;
        }
        Held held = new Held(claim.user().toLowerCase(Locale.ROOT));
        deliveries.writeLock().lock();
        try {
            holding.add(held);
        } finally {
            deliveries.writeLock().unlock();
        }
        RecoverableSession session;
        List<String> rooms = new ArrayList<>();
        try {
            // the socket's id names the chat connection too (the typist to leave out, the connection to cut off)
            session = engine.openRecoverable(claim, socket.id(), room -> {
                held.rooms.add(room.toLowerCase(Locale.ROOT));
                rooms.add(room);
            });
            Runnable hook = afterReplayRead;
            if (hook != null) {
                hook.run();
            }
            if (!session.replayComplete()) {
                session.end();
                throw new ConflictException("more was missed than can be replayed; connect again for a fresh session");
            }
            Set<String> replayed = new HashSet<>();
            for (ChatMessage message : session.replay()) {
                replayed.add(message.id());
                emit(socket, message);
            }
            deliveries.writeLock().lock();
            try {
                holding.remove(held);
                if (held.overflowed) {
                    session.end();
                    throw new ConflictException("more arrived during recovery than can be held; connect again");
                }
                for (ChatMessage message : held.messages) {
                    if (replayed.add(message.id())) {
                        emit(socket, message);
                    }
                }
                rooms.forEach(joinSocketRoom);
                socket.join(ChatSocketIoBinding.userRoom(claim.user()));
            } finally {
                deliveries.writeLock().unlock();
            }
        } finally {
            if (holding.contains(held)) {
                deliveries.writeLock().lock();
                try {
                    holding.remove(held);
                } finally {
                    deliveries.writeLock().unlock();
                }
            }
        }
        for (String room : rooms) {
            try {
                socket.emit(
                        ChatSocketIoBinding.ONLINE_USERS,
                        ChatWireFormat.onlineUsers(
                                room, session.connection().onlineUsersIn(room).users()));
            } catch (RuntimeException e) {
                // a hint only: the next change of the room's presence sends it anyway
            }
        }
        return session;
    }

    private static void emit(SocketIoSocket socket, ChatMessage message) {
        if (message.conversation().isRoom()) {
            socket.emit(ChatSocketIoBinding.RECEIVE_MESSAGE, ChatWireFormat.roomMessage(message), message.id());
        } else {
            socket.emit(ChatSocketIoBinding.PRIVATE_MESSAGE, ChatWireFormat.privateMessage(message), message.id());
        }
    }

    /**
     * Delivers a live message: {@code broadcast} sends it to the sockets in their broadcast rooms; a recovering
     * socket is in none yet, and holds it when it is for one of its rooms or its user.
     */
    void deliver(ChatMessage message, Runnable broadcast) {
        if (!enabled()) {
            broadcast.run();
            return;
        }
        deliveries.readLock().lock();
        try {
            for (Held held : holding) {
                if (held.wants(message)) {
                    held.hold(message);
                }
            }
            broadcast.run();
        } finally {
            deliveries.readLock().unlock();
        }
    }

    /** Live messages for a recovering socket, held until its replay is sent. */
    private static final class Held {
        final String user;
        final Set<String> rooms = ConcurrentHashMap.newKeySet();
        final List<ChatMessage> messages = new ArrayList<>();
        boolean overflowed;

        Held(String user) {
            this.user = user;
        }

        boolean wants(ChatMessage message) {
            if (message.conversation().isRoom()) {
                return rooms.contains(message.conversation().roomName().toLowerCase(Locale.ROOT));
            }
            return user.equalsIgnoreCase(message.sender()) || user.equalsIgnoreCase(ChatWireFormat.recipient(message));
        }

        synchronized void hold(ChatMessage message) {
            if (messages.size() < MAX_HELD) {
                messages.add(message);
            } else {
                overflowed = true;
            }
        }
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
