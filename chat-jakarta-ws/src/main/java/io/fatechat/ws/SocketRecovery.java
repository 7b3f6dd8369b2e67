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
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
    /**
     * Deliveries take it shared while a socket is recovering; a recovering socket takes it alone to start holding
     * and to go live. Package-private for tests.
     */
    final ReentrantReadWriteLock deliveries = new ReentrantReadWriteLock();

    /** Sockets recovering, or recovered and not yet sure to be past their replay on this node's live stream. */
    private final Set<Recovering> recovering = ConcurrentHashMap.newKeySet();
    /** Sockets between starting to recover and going live: while there are none, deliveries take no lock. */
    private final AtomicInteger holding = new AtomicInteger();
    /**
     * Deliveries on the lock-free path. A delivery counts itself in before it looks at {@link #holding}, a recovery
     * counts itself in there before it waits for this to drain: so either the delivery takes the lock, or it has
     * finished before the recovering socket registers (and is then like any delivery before the recovery).
     */
    private final AtomicInteger lockFree = new AtomicInteger();
    /** Orders the sends to recovered sockets whose offset a live message may not move back (see {@link #send}). */
    private final Object offsets = new Object();

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
     * replay from history, the replay is sent, then the held live events the client has not had, and only then
     * does the socket join its broadcast rooms, under the same lock the deliveries take. A message published at any
     * moment of this is thus either in the replay, or held, or live, and sent once in id order.
     *
     * <p>This node's bus consumer may lag behind history (the client was on another node, or this one is busy): a
     * message the client had before it dropped, or one just replayed, may reach this node live only now. Such a late
     * event is dropped from the held ones and, after the socket went live, left out of the broadcast to it, until a
     * live event newer than the replay shows that the consumer has caught up. A late event the client has not had
     * but older than one it was sent (a message persisted after the replay's read) is sent, with the greatest id
     * sent so far as its offset: the client's offset never moves back, so a second recovery repeats nothing.
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
        Recovering recovering = new Recovering(socket, claim.user().toLowerCase(Locale.ROOT));
        holding.incrementAndGet();
        RecoverableSession session;
        List<String> rooms = new ArrayList<>();
        boolean live = false;
        try {
            for (int spins = 0; lockFree.get() != 0; spins++) {
                if (spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            deliveries.writeLock().lock();
            try {
                this.recovering.add(recovering);
            } finally {
                deliveries.writeLock().unlock();
            }
            // the socket's id names the chat connection too (the typist to leave out, the connection to cut off)
            session = engine.openRecoverable(claim, socket.id(), room -> {
                recovering.rooms.add(room.toLowerCase(Locale.ROOT));
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
            Set<String> replayed = ConcurrentHashMap.newKeySet();
            for (ChatMessage message : session.replay()) {
                replayed.add(message.id());
                emit(socket, message);
            }
            deliveries.writeLock().lock();
            try {
                if (recovering.overflowed) {
                    session.end();
                    throw new ConflictException("more arrived during recovery than can be held; connect again");
                }
                // The held ones go out in id order. One older than the replay's last (a slower partition of the
                // bus, or a persister behind it) is sent with the greatest id sent so far as its offset: its own
                // would move the client's offset back, and a later recovery from there would repeat messages.
                String sentUpTo = session.offset();
                recovering.held.sort(Comparator.comparing(ChatMessage::id));
                for (ChatMessage message : recovering.held) {
                    if (message.id().compareTo(session.replayFrom()) > 0 && replayed.add(message.id())) {
                        sentUpTo = max(sentUpTo, message.id());
                        emit(socket, message, sentUpTo);
                    }
                }
                recovering.held.clear();
                recovering.goLive(session.replayFrom(), sentUpTo, replayed);
                rooms.forEach(joinSocketRoom);
                socket.join(ChatSocketIoBinding.userRoom(claim.user()));
                live = true;
            } finally {
                deliveries.writeLock().unlock();
            }
        } finally {
            if (!live) {
                deliveries.writeLock().lock();
                try {
                    this.recovering.remove(recovering);
                } finally {
                    deliveries.writeLock().unlock();
                }
            }
            holding.decrementAndGet(); // live (in its rooms) or gone by now
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
        emit(socket, message, message.id());
    }

    /** Sends {@code message} to one socket with {@code offset} as the offset argument. */
    private static void emit(SocketIoSocket socket, ChatMessage message, String offset) {
        if (message.conversation().isRoom()) {
            socket.emit(ChatSocketIoBinding.RECEIVE_MESSAGE, ChatWireFormat.roomMessage(message), offset);
        } else {
            socket.emit(ChatSocketIoBinding.PRIVATE_MESSAGE, ChatWireFormat.privateMessage(message), offset);
        }
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Delivers a live message: {@code broadcast} sends it to the sockets in their broadcast rooms, leaving out the
     * socket ids it is given. A recovering socket is in none yet, and holds it when it is for one of its rooms or
     * its user; a just recovered socket is left out when it already had it.
     */
    void deliver(ChatMessage message, Consumer<Set<String>> broadcast) {
        if (!enabled()) {
            broadcast.accept(Set.of());
            return;
        }
        lockFree.incrementAndGet();
        try {
            if (holding.get() == 0) {
                send(message, broadcast);
                return;
            }
        } finally {
            lockFree.decrementAndGet();
        }
        deliveries.readLock().lock();
        try {
            for (Recovering socket : recovering) {
                if (!socket.live && socket.wants(message)) {
                    socket.hold(message);
                }
            }
            send(message, broadcast);
        } finally {
            deliveries.readLock().unlock();
        }
    }

    /**
     * Broadcasts a live message, minding the live recovered sockets not yet past their replay: one that already had
     * it is left out; for one that was sent a newer message already (the message reaches this node late), it is left
     * out of the broadcast and sent alone with the greatest id sent to the socket as its offset, so the client's
     * offset never moves back; a message newer than everything sent to a socket shows that this node's live stream
     * has passed its replay, and the socket is a normal one from then on.
     */
    private void send(ChatMessage message, Consumer<Set<String>> broadcast) {
        if (recovering.isEmpty()) {
            broadcast.accept(Set.of());
            return;
        }
        // a recovered socket may stay in the set long (its rooms are quiet): allocate only for one this message is for
        Set<String> except = Set.of();
        List<Recovering> behind = List.of();
        List<Recovering> caughtUp = List.of();
        for (Recovering socket : recovering) {
            if (!socket.live || !socket.wants(message)) {
                continue;
            }
            if (socket.hadBefore(message)) {
                except = except.isEmpty() ? new HashSet<>() : except;
                except.add(socket.socketId);
            } else if (socket.caughtUpWith(message)) {
                caughtUp = caughtUp.isEmpty() ? new ArrayList<>() : caughtUp;
                caughtUp.add(socket);
            } else {
                except = except.isEmpty() ? new HashSet<>() : except;
                except.add(socket.socketId);
                behind = behind.isEmpty() ? new ArrayList<>() : behind;
                behind.add(socket);
            }
        }
        if (behind.isEmpty() && caughtUp.isEmpty()) {
            broadcast.accept(except);
            return;
        }
        // Rare (once per recovered socket, and for late messages): one lock orders a late message's offset after a
        // concurrent delivery's newer one, so the late one never carries an offset the client has not had yet, nor
        // one below an offset it has.
        synchronized (offsets) {
            for (Recovering socket : caughtUp) {
                recovering.remove(socket);
            }
            broadcast.accept(except);
            for (Recovering socket : caughtUp) {
                socket.sentUpTo = max(socket.sentUpTo, message.id());
            }
            for (Recovering socket : behind) {
                if (socket.replayed.add(message.id())) {
                    emit(socket.socket, message, socket.sentUpTo);
                }
            }
        }
    }

    /** Forgets the socket's recovery state when it closes. */
    private void forget(String socketId) {
        recovering.removeIf(socket -> socket.socketId.equals(socketId));
    }

    /**
     * A recovered socket: while it recovers, the live messages for it, held until its replay is sent; once live,
     * what it already had, until this node's live stream has passed its replay.
     */
    private static final class Recovering {
        final SocketIoSocket socket;
        final String socketId;
        final String user;
        final Set<String> rooms = ConcurrentHashMap.newKeySet();
        final List<ChatMessage> held = new ArrayList<>();
        boolean overflowed;
        /** Set under the write lock, after what it publishes; read with or without the lock. */
        volatile boolean live;

        private String replayFrom;
        /** The greatest id sent to the socket: its client's offset. Changed under {@link #offsets}. */
        private volatile String sentUpTo;
        /** The ids sent to the socket since it recovered, as replayed, held, or late. */
        private Set<String> replayed = Set.of();

        Recovering(SocketIoSocket socket, String user) {
            this.socket = socket;
            this.socketId = socket.id();
            this.user = user;
        }

        boolean wants(ChatMessage message) {
            if (message.conversation().isRoom()) {
                return rooms.contains(message.conversation().roomName().toLowerCase(Locale.ROOT));
            }
            return user.equalsIgnoreCase(message.sender()) || user.equalsIgnoreCase(ChatWireFormat.recipient(message));
        }

        synchronized void hold(ChatMessage message) {
            if (held.size() < MAX_HELD) {
                held.add(message);
            } else {
                overflowed = true;
            }
        }

        void goLive(String replayFrom, String sentUpTo, Set<String> replayed) {
            this.replayFrom = replayFrom;
            this.sentUpTo = sentUpTo;
            this.replayed = replayed;
            this.live = true;
        }

        /** Whether the client had the message: at or before the offset the replay started after, or replayed. */
        boolean hadBefore(ChatMessage message) {
            return message.id().compareTo(replayFrom) <= 0 || replayed.contains(message.id());
        }

        /** A live message newer than everything sent: the ones before it have passed this node too. */
        boolean caughtUpWith(ChatMessage message) {
            return message.id().compareTo(sentUpTo) > 0;
        }
    }

    /** Ends the socket's session: kept recoverable after a drop, forgotten after a goodbye. */
    void closed(SocketIoSocket socket, RecoverableSession session, DisconnectReason reason) {
        forget(socket.id());
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
