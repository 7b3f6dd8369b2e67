package io.fatechat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO side of one Engine.IO connection: decodes packets, reassembles binary ones, connects sockets to
 * namespaces and routes events and acks. Runs on the connection's serial executor, except the server-initiated
 * disconnects which may come from any thread.
 */
final class SocketIoClient implements EngineListener {

    private static final Logger log = LoggerFactory.getLogger(SocketIoClient.class);

    private final SocketIoServer server;
    private final EngineSession conn;
    /**
     * The connected sockets by namespace: immutable, replaced under this (almost every connection has one
     * namespace, and a map of one costs a few bytes where a ConcurrentHashMap costs some 200).
     */
    private volatile Map<String, SocketImpl> sockets = Map.of();
    /** Dropped once cancelled: a task kept by a connected client is memory it holds for its whole life. */
    private volatile ScheduledFuture<?> connectTimer;

    private volatile boolean everConnected;
    private volatile boolean connectTimedOut;
    private PacketCodec.Packet pendingBinary;
    private List<byte[]> pendingAttachments;
    private boolean warnedUnknownAck;

    SocketIoClient(SocketIoServer server, EngineSession conn) {
        this.server = server;
        this.conn = conn;
        this.connectTimer = server.core.schedule(
                this::connectTimeout, server.config().connectTimeout().toMillis());
    }

    private synchronized void putSocket(String nsp, SocketImpl socket) {
        if (sockets.isEmpty()) {
            sockets = Map.of(nsp, socket);
        } else {
            Map<String, SocketImpl> copy = new HashMap<>(sockets);
            copy.put(nsp, socket);
            sockets = Map.copyOf(copy);
        }
    }

    /** Removes the socket of {@code nsp} (only when it is {@code expected}, unless null); returns it or null. */
    private synchronized SocketImpl removeSocket(String nsp, SocketImpl expected) {
        SocketImpl current = sockets.get(nsp);
        if (current == null || (expected != null && current != expected)) {
            return null;
        }
        if (sockets.size() == 1) {
            sockets = Map.of();
        } else {
            Map<String, SocketImpl> copy = new HashMap<>(sockets);
            copy.remove(nsp);
            sockets = Map.copyOf(copy);
        }
        return current;
    }

    private void cancelConnectTimer() {
        ScheduledFuture<?> timer = connectTimer;
        if (timer != null) {
            timer.cancel(false);
            connectTimer = null;
        }
    }

    private void connectTimeout() {
        if (!everConnected && conn.isOpen()) {
            log.debug(
                    "Closing Socket.IO connection of {}: no namespace joined within the connect timeout",
                    conn.remoteAddress());
            connectTimedOut = true;
            conn.closeGracefully(EngineIoCloseReason.FORCED_CLOSE);
        }
    }

    @Override
    public void onText(String message) {
        if (!conn.isOpen()) {
            return;
        }
        if (pendingBinary != null) {
            conn.protocolError("text packet while binary attachments were expected");
            return;
        }
        PacketCodec.Packet p;
        try {
            p = server.codec.decode(message);
        } catch (PacketCodec.ProtocolException e) {
            conn.protocolError(e.getMessage());
            return;
        }
        if (p.attachments() > 0) {
            pendingBinary = p;
            pendingAttachments = new ArrayList<>(p.attachments());
            return;
        }
        dispatch(p);
    }

    @Override
    public void onBinary(byte[] data) {
        if (!conn.isOpen()) {
            return;
        }
        if (pendingBinary == null) {
            conn.protocolError("binary packet without a binary Socket.IO packet");
            return;
        }
        pendingAttachments.add(data);
        if (pendingAttachments.size() < pendingBinary.attachments()) {
            return;
        }
        PacketCodec.Packet p = pendingBinary;
        List<byte[]> attachments = pendingAttachments;
        pendingBinary = null;
        pendingAttachments = null;
        try {
            JsonNode data2 = server.codec.reconstruct(p.data(), attachments);
            dispatch(new PacketCodec.Packet(p.type(), p.nsp(), p.id(), data2, p.attachments()));
        } catch (PacketCodec.ProtocolException e) {
            conn.protocolError(e.getMessage());
        }
    }

    private void dispatch(PacketCodec.Packet p) {
        switch (p.type()) {
            case CONNECT:
                connect(p);
                break;
            case DISCONNECT: {
                SocketImpl s = removeSocket(p.nsp(), null);
                if (s != null) {
                    s.closed(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
                }
                break;
            }
            case EVENT:
            case BINARY_EVENT: {
                SocketImpl s = sockets.get(p.nsp());
                if (s == null) {
                    conn.protocolError("EVENT for namespace " + p.nsp() + " before CONNECT");
                } else {
                    s.onEvent(p);
                }
                break;
            }
            default: {
                SocketImpl s = sockets.get(p.nsp());
                if (s == null) {
                    conn.protocolError("ACK for namespace " + p.nsp() + " before CONNECT");
                } else {
                    s.onAck(p);
                }
            }
        }
    }

    private void connect(PacketCodec.Packet p) {
        String nsp = p.nsp();
        if (sockets.containsKey(nsp)) {
            conn.protocolError("second CONNECT to namespace " + nsp);
            return;
        }
        NamespaceImpl ns = server.namespaceIfExists(nsp);
        if (ns == null) {
            refuse(nsp, "Invalid namespace", null);
            return;
        }
        ObjectNode auth = p.data() == null ? server.codec.object() : (ObjectNode) p.data();
        SocketIoHandshake handshake = conn.handshake.withAuth(auth);
        Object principal = null;
        String pid = null;
        for (ConnectAuthorizer authorizer : ns.authorizers) {
            try {
                Object r = authorizer.authorize(handshake);
                if (r instanceof ConnectAcceptance accepted) {
                    if (accepted.principal() != null) {
                        principal = accepted.principal();
                    }
                    if (accepted.pid() != null) {
                        pid = accepted.pid();
                    }
                } else if (r != null) {
                    principal = r;
                }
            } catch (ConnectRefusedException e) {
                refuse(nsp, e.getMessage(), e.data());
                return;
            } catch (RuntimeException e) {
                log.warn("Connect authorizer of namespace {} failed for {}", nsp, conn.remoteAddress(), e);
                refuse(nsp, "internal error", null);
                return;
            }
        }
        if (!conn.isOpen()) {
            return;
        }
        SocketImpl socket = new SocketImpl(this, ns, server.core.newId(), handshake, principal, pid);
        putSocket(nsp, socket);
        everConnected = true;
        cancelConnectTimer();
        ns.addSocket(socket);
        ObjectNode answer = server.codec.object();
        answer.put("sid", socket.id());
        if (pid != null) {
            answer.put("pid", pid);
        }
        conn.send(server.codec.encode(PacketType.CONNECT, nsp, -1, answer));
        server.metrics.socketConnected(nsp);
        for (var handler : ns.connectionHandlers) {
            try {
                handler.accept(socket);
            } catch (RuntimeException e) {
                log.warn("Connection handler of namespace {} failed", nsp, e);
            }
        }
    }

    private void refuse(String nsp, String message, JsonNode data) {
        server.metrics.connectRefused(nsp);
        ObjectNode error = server.codec.object();
        error.put("message", Objects.toString(message, "refused"));
        if (data != null) {
            error.set("data", data);
        }
        conn.send(server.codec.encode(PacketType.CONNECT_ERROR, nsp, -1, error));
    }

    PacketCodec codec() {
        return server.codec;
    }

    SocketIoMetrics metrics() {
        return server.metrics;
    }

    /** How many acknowledgements one socket may await before its client counts as a slow consumer. */
    int maxPendingAcks() {
        return server.config().maxQueuedPackets();
    }

    String transportName() {
        return conn.transportName();
    }

    String remoteAddress() {
        return conn.remoteAddress();
    }

    /** Queues already-encoded frames; false when the connection refused them. */
    boolean deliver(Frame[] frames) {
        return conn.send(frames);
    }

    /** Closes the whole connection now. */
    void close(EngineIoCloseReason reason) {
        conn.close(reason);
    }

    /** Closes the whole connection once what is queued went out. */
    void closeGracefully(EngineIoCloseReason reason) {
        conn.closeGracefully(reason);
    }

    /** An ACK for an id we never sent (or already answered): ignored like the Node.js server, logged once. */
    void unknownAck(long id) {
        server.metrics.protocolError("unknown ack id");
        if (!warnedUnknownAck) {
            warnedUnknownAck = true;
            log.warn("Ignoring ACK with unknown id {} from {}", id, conn.remoteAddress());
        }
    }

    /** The server disconnects {@code socket}: DISCONNECT packet, then (with close) the whole connection. */
    void serverDisconnect(SocketImpl socket, boolean close) {
        if (removeSocket(socket.namespace().name(), socket) != null) {
            conn.send(server.codec.encode(
                    PacketType.DISCONNECT, socket.namespace().name(), -1, null));
            conn.inbox.execute(() -> socket.closed(DisconnectReason.SERVER_NAMESPACE_DISCONNECT));
        }
        if (close) {
            conn.closeGracefully(EngineIoCloseReason.FORCED_CLOSE);
        }
    }

    @Override
    public void closing(EngineIoCloseReason engineReason) {
        server.metrics.connectionClosed(reason(engineReason));
    }

    private DisconnectReason reason(EngineIoCloseReason engineReason) {
        return connectTimedOut ? DisconnectReason.CONNECT_TIMEOUT : DisconnectReason.of(engineReason);
    }

    @Override
    public void onClose(EngineIoCloseReason engineReason) {
        DisconnectReason reason = reason(engineReason);
        cancelConnectTimer();
        for (SocketImpl s : sockets.values()) {
            if (removeSocket(s.namespace().name(), s) != null) {
                s.closed(reason);
            }
        }
    }
}
