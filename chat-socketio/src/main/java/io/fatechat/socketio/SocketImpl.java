package io.fatechat.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A socket of one namespace on one connection.
 *
 * <p>Thousands of these live for hours, most of them idle, so a socket holds only what it uses (issue 11): the
 * handler, ack, attribute and disconnect-handler structures are created on first use, the rooms are an immutable
 * set replaced on join and leave (a socket is in few rooms), its own room (its id) is implied rather than stored,
 * and the counters are plain fields. {@code SocketStateTest} asserts it.
 */
final class SocketImpl implements SocketIoSocket {

    private static final VarHandle NEXT_ACK_ID;
    private static final VarHandle DISCONNECT_FIRED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NEXT_ACK_ID = lookup.findVarHandle(SocketImpl.class, "nextAckId", long.class);
            DISCONNECT_FIRED = lookup.findVarHandle(SocketImpl.class, "disconnectFired", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SocketImpl.class);

    private static final Ack NO_ACK = new Ack() {
        @Override
        public boolean requested() {
            return false;
        }

        @Override
        public void send(Object... args) {}
    };

    private final SocketIoClient client;
    private final PacketCodec codec;
    private final SocketIoMetrics metrics;
    private final NamespaceImpl ns;
    private final String id;
    private final SocketIoHandshake handshake;
    private final Object principal;
    private final String pid;
    // created on first use (guarded by this for the creation): most sockets never need some of them
    private volatile ConcurrentHashMap<String, EventHandler> handlers;
    private volatile CopyOnWriteArrayList<Consumer<DisconnectReason>> disconnectHandlers;
    private volatile ConcurrentHashMap<Long, AckCallback> acks;
    private volatile ConcurrentHashMap<String, Object> attributes;
    /** The rooms joined besides the socket's own; immutable, replaced under this. */
    private volatile Set<String> rooms = Set.of();
    /** Whether the socket left its own room (its id), which it is otherwise always in. */
    private volatile boolean leftOwnRoom;

    @SuppressWarnings("unused") // through NEXT_ACK_ID
    private volatile long nextAckId;

    @SuppressWarnings("unused") // through DISCONNECT_FIRED
    private volatile boolean disconnectFired;

    private volatile boolean connected = true;
    private volatile UnknownEventHandler unknownEventHandler;
    private volatile DisconnectReason disconnectReason;

    SocketImpl(
            SocketIoClient client,
            NamespaceImpl ns,
            String id,
            SocketIoHandshake handshake,
            Object principal,
            String pid) {
        this.client = client;
        this.codec = client.codec();
        this.metrics = client.metrics();
        this.ns = ns;
        this.id = id;
        this.handshake = handshake;
        this.principal = principal;
        this.pid = pid;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SocketIoNamespace namespace() {
        return ns;
    }

    @Override
    public SocketIoHandshake handshake() {
        return handshake;
    }

    @Override
    public Object principal() {
        return principal;
    }

    @Override
    public String pid() {
        return pid;
    }

    @Override
    public String transport() {
        return client.transportName();
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public SocketIoSocket on(String event, EventHandler handler) {
        ConcurrentHashMap<String, EventHandler> map = handlers;
        if (map == null) {
            synchronized (this) {
                map = handlers;
                if (map == null) {
                    map = new ConcurrentHashMap<>(4);
                    handlers = map;
                }
            }
        }
        map.put(event, handler);
        return this;
    }

    @Override
    public SocketIoSocket onUnknownEvent(UnknownEventHandler handler) {
        this.unknownEventHandler = handler;
        return this;
    }

    @Override
    public SocketIoSocket onDisconnect(Consumer<DisconnectReason> handler) {
        CopyOnWriteArrayList<Consumer<DisconnectReason>> list = disconnectHandlers;
        if (list == null) {
            synchronized (this) {
                list = disconnectHandlers;
                if (list == null) {
                    list = new CopyOnWriteArrayList<>();
                    disconnectHandlers = list;
                }
            }
        }
        list.add(handler);
        DisconnectReason reason = disconnectReason;
        if (reason != null && list.remove(handler)) {
            handler.accept(reason);
        }
        return this;
    }

    @Override
    public void emit(String event, Object... args) {
        if (connected) {
            deliver(codec.encode(PacketType.EVENT, ns.name(), -1, codec.eventData(event, args)));
        }
    }

    @Override
    public void emitWithAck(String event, AckCallback callback, Object... args) {
        if (!connected) {
            return;
        }
        ConcurrentHashMap<Long, AckCallback> acks = acks();
        if (acks.size() >= client.maxPendingAcks()) {
            // a client that never acknowledges is a slow consumer too
            client.close(EngineIoCloseReason.SLOW_CONSUMER);
            metrics.slowConsumerDisconnected();
            return;
        }
        long ackId = (long) NEXT_ACK_ID.getAndAdd(this, 1L);
        acks.put(ackId, callback);
        deliver(codec.encode(PacketType.EVENT, ns.name(), ackId, codec.eventData(event, args)));
    }

    private ConcurrentHashMap<Long, AckCallback> acks() {
        ConcurrentHashMap<Long, AckCallback> map = acks;
        if (map == null) {
            synchronized (this) {
                map = acks;
                if (map == null) {
                    map = new ConcurrentHashMap<>(4);
                    acks = map;
                }
            }
        }
        return map;
    }

    /** Queues already-encoded frames (shared by a broadcast); false when the connection refused them. */
    boolean deliver(Frame[] frames) {
        return client.deliver(frames);
    }

    @Override
    public void join(String room) {
        if (!connected) {
            return;
        }
        if (room.equals(id)) {
            leftOwnRoom = false; // implied, never stored (see NamespaceImpl)
            return;
        }
        synchronized (this) {
            Set<String> current = rooms;
            if (current.contains(room)) {
                return;
            }
            rooms = plus(current, room);
        }
        ns.addToRoom(room, this);
        if (!connected) {
            ns.removeFromRoom(room, this);
        }
    }

    @Override
    public void leave(String room) {
        if (room.equals(id)) {
            leftOwnRoom = true;
            return;
        }
        synchronized (this) {
            Set<String> current = rooms;
            if (!current.contains(room)) {
                return;
            }
            rooms = minus(current, room);
        }
        ns.removeFromRoom(room, this);
    }

    private static Set<String> plus(Set<String> set, String room) {
        if (set.isEmpty()) {
            return Set.of(room);
        }
        if (set.size() == 1) {
            return Set.of(set.iterator().next(), room);
        }
        Set<String> copy = new HashSet<>(set);
        copy.add(room);
        return Set.copyOf(copy);
    }

    private static Set<String> minus(Set<String> set, String room) {
        Set<String> copy = new HashSet<>(set);
        copy.remove(room);
        return Set.copyOf(copy);
    }

    @Override
    public Set<String> rooms() {
        Set<String> joined = rooms;
        if (leftOwnRoom) {
            return joined;
        }
        Set<String> all = new HashSet<>(joined);
        all.add(id);
        return Set.copyOf(all);
    }

    /** Whether the socket is in its own room, the one named by its id. */
    boolean inOwnRoom() {
        return !leftOwnRoom;
    }

    boolean inAnyRoom(Set<String> names) {
        Set<String> joined = rooms;
        for (String r : names) {
            if (joined.contains(r) || (r.equals(id) && !leftOwnRoom)) {
                return true;
            }
        }
        return false;
    }

    /** The rooms joined besides the own one (an immutable snapshot). */
    Set<String> roomsView() {
        return rooms;
    }

    @Override
    public BroadcastOperator to(String room) {
        return new BroadcastImpl(ns, Set.of(room), Set.of(id));
    }

    @Override
    public void disconnect(boolean close) {
        if (connected) {
            connected = false;
            ns.removeSocket(this);
            client.serverDisconnect(this, close);
        } else if (close) {
            client.closeGracefully(EngineIoCloseReason.FORCED_CLOSE);
        }
    }

    @Override
    public ConcurrentMap<String, Object> attributes() {
        ConcurrentHashMap<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    map = new ConcurrentHashMap<>(4);
                    attributes = map;
                }
            }
        }
        return map;
    }

    /** Whether the structures created on first use exist (for tests of an idle socket's footprint). */
    boolean allocated(String structure) {
        return switch (structure) {
            case "handlers" -> handlers != null;
            case "disconnectHandlers" -> disconnectHandlers != null;
            case "acks" -> acks != null;
            case "attributes" -> attributes != null;
            default -> throw new IllegalArgumentException(structure);
        };
    }

    void onEvent(PacketCodec.Packet p) {
        ArrayNode data = (ArrayNode) p.data();
        String event = data.remove(0).textValue();
        Ack ack = p.id() >= 0 ? new AckImpl(p.id()) : NO_ACK;
        ConcurrentHashMap<String, EventHandler> map = handlers;
        EventHandler handler = map == null ? null : map.get(event);
        try {
            if (handler != null) {
                handler.onEvent(data, ack);
            } else {
                UnknownEventHandler u = unknownEventHandler;
                if (u != null) {
                    u.onEvent(event, data, ack);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Handler of event '{}' failed for {}", event, client.remoteAddress(), e);
        }
    }

    void onAck(PacketCodec.Packet p) {
        ConcurrentHashMap<Long, AckCallback> map = acks;
        AckCallback callback = map == null ? null : map.remove(p.id());
        if (callback == null) {
            client.unknownAck(p.id());
            return;
        }
        try {
            callback.onAck((ArrayNode) p.data());
        } catch (RuntimeException e) {
            log.warn("Ack callback failed for {}", client.remoteAddress(), e);
        }
    }

    /** Runs once, on the connection's serial executor. */
    void closed(DisconnectReason reason) {
        if (!DISCONNECT_FIRED.compareAndSet(this, false, true)) {
            return;
        }
        connected = false;
        disconnectReason = reason;
        ns.removeSocket(this);
        ConcurrentHashMap<Long, AckCallback> pending = acks;
        if (pending != null) {
            pending.clear();
        }
        metrics.socketDisconnected(ns.name());
        CopyOnWriteArrayList<Consumer<DisconnectReason>> list = disconnectHandlers;
        if (list == null) {
            return;
        }
        for (Consumer<DisconnectReason> h : list) {
            list.remove(h);
            try {
                h.accept(reason);
            } catch (RuntimeException e) {
                log.warn("Disconnect handler failed", e);
            }
        }
    }

    private final class AckImpl implements Ack {
        private final long ackId;
        private final AtomicBoolean sent = new AtomicBoolean();

        AckImpl(long ackId) {
            this.ackId = ackId;
        }

        @Override
        public boolean requested() {
            return true;
        }

        @Override
        public void send(Object... args) {
            if (sent.compareAndSet(false, true) && connected) {
                deliver(codec.encode(PacketType.ACK, ns.name(), ackId, codec.ackData(args)));
            }
        }
    }

    @Override
    public String toString() {
        return "SocketIoSocket{" + id + " " + ns.name() + " " + client.remoteAddress() + "}";
    }
}
