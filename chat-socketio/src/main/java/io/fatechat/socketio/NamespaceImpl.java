package io.fatechat.socketio;

import java.util.ArrayList;
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
    private final ConcurrentHashMap<String, Set<SocketImpl>> rooms = new ConcurrentHashMap<>();

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
        sockets.put(socket.id(), socket);
        socket.join(socket.id());
    }

    void removeSocket(SocketImpl socket) {
        if (sockets.remove(socket.id(), socket)) {
            for (String room : new ArrayList<>(socket.roomsView())) {
                removeFromRoom(room, socket);
            }
        }
    }

    void addToRoom(String room, SocketImpl socket) {
        rooms.compute(room, (k, set) -> {
            Set<SocketImpl> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(socket);
            return s;
        });
    }

    void removeFromRoom(String room, SocketImpl socket) {
        rooms.computeIfPresent(room, (k, set) -> {
            set.remove(socket);
            return set.isEmpty() ? null : set;
        });
    }

    /** Encodes once, then queues the same frames for every selected socket. */
    int broadcast(Set<String> to, Set<String> except, String event, Object[] args) {
        Iterable<SocketImpl> targets;
        if (to.isEmpty()) {
            targets = sockets.values();
        } else if (to.size() == 1) {
            Set<SocketImpl> members = rooms.get(to.iterator().next());
            if (members == null) {
                server.metrics.broadcast(0);
                return 0;
            }
            targets = members;
        } else {
            Set<SocketImpl> union = new LinkedHashSet<>();
            for (String room : to) {
                Set<SocketImpl> members = rooms.get(room);
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
