package io.fatechat.socketio;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A namespace: its authorizers, connection handlers, sockets and rooms. */
final class NamespaceImpl implements SocketIoNamespace {

    private final String name;
    private final SocketIoServer server;
    final List<ConnectAuthorizer> authorizers = new CopyOnWriteArrayList<>();
    final List<Consumer<SocketIoSocket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, SocketImpl> sockets = new ConcurrentHashMap<>();
    /**
     * Members by room: the one {@link SocketImpl} of a room of one (a user's own room, most often), a set from
     * two members on. A socket's own room (its id) is not stored: {@link #sockets} has it.
     */
    private final ConcurrentHashMap<String, Object> rooms = new ConcurrentHashMap<>();

    NamespaceImpl(String name, SocketIoServer server) {
        this.name = name;
        this.server = server;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SocketIoNamespace use(ConnectAuthorizer authorizer) {
        authorizers.add(java.util.Objects.requireNonNull(authorizer, "authorizer"));
        return this;
    }

    @Override
    public SocketIoNamespace onConnection(Consumer<SocketIoSocket> handler) {
        connectionHandlers.add(java.util.Objects.requireNonNull(handler, "handler"));
        return this;
    }

    @Override
    public BroadcastOperator to(String room) {
        return new BroadcastImpl(this, Set.of(room), Set.of());
    }

    @Override
    public BroadcastOperator except(String room) {
        return new BroadcastImpl(this, Set.of(), Set.of(room));
    }

    @Override
    public int emit(String event, Object... args) {
        return broadcast(Set.of(), Set.of(), event, args);
    }

    @Override
    public Collection<SocketIoSocket> sockets() {
        return List.copyOf(sockets.values());
    }

    @Override
    public Optional<SocketIoSocket> socket(String id) {
        return Optional.ofNullable(sockets.get(id));
    }

    void addSocket(SocketImpl socket) {
        sockets.put(socket.id(), socket); // and so in its own room, which is implied
    }

    void removeSocket(SocketImpl socket) {
        if (sockets.remove(socket.id(), socket)) {
            for (String room : socket.roomsView()) {
                removeFromRoom(room, socket);
            }
        }
    }

    void addToRoom(String room, SocketImpl socket) {
        rooms.compute(room, (k, members) -> {
            if (members == null || members == socket) {
                return socket;
            }
            if (members instanceof SocketImpl single) {
                Set<SocketImpl> set = ConcurrentHashMap.newKeySet();
                set.add(single);
                set.add(socket);
                return set;
            }
            @SuppressWarnings("unchecked")
            Set<SocketImpl> set = (Set<SocketImpl>) members;
            set.add(socket);
            return set;
        });
    }

    void removeFromRoom(String room, SocketImpl socket) {
        rooms.computeIfPresent(room, (k, members) -> {
            if (members instanceof SocketImpl single) {
                return single == socket ? null : single;
            }
            @SuppressWarnings("unchecked")
            Set<SocketImpl> set = (Set<SocketImpl>) members;
            set.remove(socket);
            return set.isEmpty() ? null : set;
        });
    }

    /** The members of {@code room}, the socket whose own room it is included; null when none. */
    private Collection<SocketImpl> members(String room) {
        Object stored = rooms.get(room);
        SocketImpl own = sockets.get(room);
        if (own != null && !own.inOwnRoom()) {
            own = null;
        }
        if (stored == null) {
            return own == null ? null : List.of(own);
        }
        Collection<SocketImpl> members;
        if (stored instanceof SocketImpl single) {
            members = List.of(single);
        } else {
            @SuppressWarnings("unchecked")
            Set<SocketImpl> set = (Set<SocketImpl>) stored;
            members = set;
        }
        if (own == null || members.contains(own)) {
            return members;
        }
        Set<SocketImpl> union = new LinkedHashSet<>(members);
        union.add(own);
        return union;
    }

    /** The rooms with members stored (for tests: a socket's own room is never among them). */
    Set<String> storedRooms() {
        return Set.copyOf(rooms.keySet());
    }

    /** Encodes once, then queues the same frames for every selected socket. */
    int broadcast(Set<String> to, Set<String> except, String event, Object[] args) {
        Iterable<SocketImpl> targets;
        if (to.isEmpty()) {
            targets = sockets.values();
        } else if (to.size() == 1) {
            Collection<SocketImpl> members = members(to.iterator().next());
            if (members == null) {
                server.metrics.broadcast(0);
                return 0;
            }
            targets = members;
        } else {
            Set<SocketImpl> union = new LinkedHashSet<>();
            for (String room : to) {
                Collection<SocketImpl> members = members(room);
                if (members != null) {
                    union.addAll(members);
                }
            }
            targets = union;
        }
        Frame[] frames = null;
        int count = 0;
        for (SocketImpl s : targets) {
            if (!s.connected() || (!except.isEmpty() && s.inAnyRoom(except))) {
                continue;
            }
            if (frames == null) {
                frames = server.codec.encode(PacketType.EVENT, name, -1, server.codec.eventData(event, args));
            }
            if (s.deliver(frames)) {
                count++;
            }
        }
        server.metrics.broadcast(count);
        return count;
    }
}
