package io.fatechat.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A socket of one namespace on one connection. */
final class SocketImpl implements SocketIoSocket {

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
    private final ConcurrentHashMap<String, EventHandler> handlers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<DisconnectReason>> disconnectHandlers = new CopyOnWriteArrayList<>();
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextAckId = new AtomicLong();
    private final ConcurrentHashMap<Long, AckCallback> acks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Object> attributes = new ConcurrentHashMap<>();
    private final AtomicBoolean disconnectFired = new AtomicBoolean();
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
        handlers.put(event, handler);
        return this;
    }

    @Override
    public SocketIoSocket onUnknownEvent(UnknownEventHandler handler) {
        this.unknownEventHandler = handler;
        return this;
    }

    @Override
    public SocketIoSocket onDisconnect(Consumer<DisconnectReason> handler) {
        disconnectHandlers.add(handler);
        DisconnectReason reason = disconnectReason;
        if (reason != null && disconnectHandlers.remove(handler)) {
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
        if (acks.size() >= client.maxPendingAcks()) {
            // a client that never acknowledges is a slow consumer too
            client.close(EngineIoCloseReason.SLOW_CONSUMER);
            metrics.slowConsumerDisconnected();
            return;
        }
        long ackId = nextAckId.getAndIncrement();
        acks.put(ackId, callback);
        deliver(codec.encode(PacketType.EVENT, ns.name(), ackId, codec.eventData(event, args)));
    }

    /** Queues already-encoded frames (shared by a broadcast); false when the connection refused them. */
    boolean deliver(Frame[] frames) {
        return client.deliver(frames);
    }

    @Override
    public void join(String room) {
        if (connected && rooms.add(room)) {
            ns.addToRoom(room, this);
            if (!connected) {
                ns.removeFromRoom(room, this);
            }
        }
    }

    @Override
    public void leave(String room) {
        if (rooms.remove(room)) {
            ns.removeFromRoom(room, this);
        }
    }

    @Override
    public Set<String> rooms() {
        return Collections.unmodifiableSet(Set.copyOf(rooms));
    }

    boolean inAnyRoom(Set<String> names) {
        for (String r : names) {
            if (rooms.contains(r)) {
                return true;
            }
        }
        return false;
    }

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
        return attributes;
    }

    void onEvent(PacketCodec.Packet p) {
        ArrayNode data = (ArrayNode) p.data();
        String event = data.remove(0).textValue();
        Ack ack = p.id() >= 0 ? new AckImpl(p.id()) : NO_ACK;
        EventHandler handler = handlers.get(event);
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
        AckCallback callback = acks.remove(p.id());
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
        if (!disconnectFired.compareAndSet(false, true)) {
            return;
        }
        connected = false;
        disconnectReason = reason;
        ns.removeSocket(this);
        acks.clear();
        metrics.socketDisconnected(ns.name());
        for (Consumer<DisconnectReason> h : disconnectHandlers) {
            disconnectHandlers.remove(h);
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
