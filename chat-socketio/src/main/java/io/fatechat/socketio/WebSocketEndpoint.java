package io.fatechat.socketio;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jakarta WebSocket endpoint that {@link SocketIoDeployment} registers (containers require it to be public).
 * One instance per WebSocket, created by the deployment's configurator; not for direct use.
 */
public final class WebSocketEndpoint extends Endpoint {

    private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);

    static final String HANDSHAKE_KEY = "io.fatechat.socketio.handshake";
    private static final String REMOTE_ADDRESS_KEY = "jakarta.websocket.endpoint.remoteAddress";
    /** The largest container message buffer per WebSocket (characters or bytes): a chat packet fits in one. */
    static final int MESSAGE_BUFFER = 1024;

    private final EngineIoCore core;
    private volatile WebSocketTransport transport;
    private int maxPayload;
    /** The message so far while one arrives in parts; null between messages, so an idle socket holds none. */
    private StringBuilder text;

    private ByteArrayOutputStream binary;

    WebSocketEndpoint(EngineIoCore core) {
        this.core = core;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        // removed: the container keeps the config's properties as long as the socket lives, the session its own
        WebSocketHandshake hs = (WebSocketHandshake) config.getUserProperties().remove(HANDSHAKE_KEY);
        // Tomcat copies the config's properties into the session's before onOpen: without this, every socket
        // kept its upgrade handshake (headers, query, auth) a second time for its whole life (issue 11)
        session.getUserProperties().remove(HANDSHAKE_KEY);
        Object remote = session.getUserProperties().get(REMOTE_ADDRESS_KEY);
        if (remote == null) {
            remote = config.getUserProperties().get(REMOTE_ADDRESS_KEY);
        }
        SocketIoHandshake base = hs.handshake();
        // the address the servlet saw; the container's property where it sets one otherwise
        String remoteAddress = !"unknown".equals(base.remoteAddress())
                ? base.remoteAddress()
                : remote == null ? null : remote.toString().replaceFirst("^/", "");
        SocketIoHandshake handshake =
                new SocketIoHandshake(base.headers(), base.query(), remoteAddress, null, base.issuedAt());
        WebSocketTransport t = open(session, handshake, hs.originAllowed(), hs.clientAddress());
        if (t == null) {
            return;
        }
        transport = t;
        maxPayload = core.config.maxPayload();
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onTextPart);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) this::onBinaryPart);
    }

    /** Opens a session on {@code session}, or makes it the upgrade probe of one; null after closing it. */
    private WebSocketTransport open(
            Session session, SocketIoHandshake handshake, boolean originAllowed, String clientAddress) {
        if (!originAllowed) {
            core.metrics.protocolError("origin not allowed");
            log.debug("Refusing WebSocket from {}: origin not allowed", handshake.remoteAddress());
            refuse(session, CloseReason.CloseCodes.VIOLATED_POLICY, "origin not allowed");
            return null;
        }
        if (!"4".equals(handshake.queryParam("EIO")) || !"websocket".equals(handshake.queryParam("transport"))) {
            refuse(session, CloseReason.CloseCodes.PROTOCOL_ERROR, "bad request");
            return null;
        }
        // Tomcat allocates message buffers of these sizes per socket, up front: sized to maxPayload (1 MB by
        // default) they cost megabytes per connection. This endpoint takes messages in parts and assembles the
        // rare larger one up to maxPayload, in a buffer that lives only while that message arrives.
        // Only ever shrunk: a container configured smaller keeps its size.
        int buffer = Math.min(core.config.maxPayload(), MESSAGE_BUFFER);
        session.setMaxTextMessageBufferSize(Math.min(buffer, session.getMaxTextMessageBufferSize()));
        session.setMaxBinaryMessageBufferSize(Math.min(buffer, session.getMaxBinaryMessageBufferSize()));
        session.setMaxIdleTimeout(core.config.pingInterval().toMillis()
                + core.config.pingTimeout().toMillis()
                + 10_000);
        String sid = handshake.queryParam("sid");
        if (sid != null) {
            EngineSession existing = core.session(sid);
            WebSocketTransport probe = existing == null ? null : new WebSocketTransport(existing, session);
            if (probe == null || !existing.acceptProbe(probe)) {
                refuse(session, CloseReason.CloseCodes.PROTOCOL_ERROR, "bad upgrade");
                return null;
            }
            return probe;
        }
        if (core.closed()) {
            refuse(session, CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
            return null;
        }
        String client = clientAddress != null ? clientAddress : clientAddress(handshake.remoteAddress());
        EngineSession c = core.open(handshake, client, s -> new WebSocketTransport(s, session));
        if (c == null) {
            // over the per-address cap between the servlet's check and here
            refuse(session, CloseReason.CloseCodes.TRY_AGAIN_LATER, "too many connections");
            return null;
        }
        c.send(Frame.text(core.handshakeJson(c.id, false)));
        c.start();
        return (WebSocketTransport) c.transport();
    }

    /** {@code host} of {@code host:port} (IPv6 hosts keep their colons). */
    static String clientAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 ? hostPort.substring(0, colon) : hostPort;
    }

    private void refuse(Session session, CloseReason.CloseCode code, String reason) {
        WebSocketTransport.close(core.closer(), session, code, reason);
    }

    // Parts of one message arrive one after another on the container's thread for this session; a message that
    // fits the container's (small) buffer comes as one part and is passed on without a copy.

    private void onTextPart(String part, boolean last) {
        if (text == null && last) {
            if (part.length() > maxPayload) {
                transport.onTooBig();
            } else {
                transport.onText(part);
            }
            return;
        }
        if (text == null) {
            text = new StringBuilder(Math.min(maxPayload, part.length() * 2));
        }
        if (text.length() + part.length() > maxPayload) {
            text = null;
            transport.onTooBig();
            return;
        }
        text.append(part);
        if (last) {
            String whole = text.toString();
            text = null;
            transport.onText(whole);
        }
    }

    private void onBinaryPart(ByteBuffer part, boolean last) {
        int size = (binary == null ? 0 : binary.size()) + part.remaining();
        if (size > maxPayload) {
            binary = null;
            transport.onTooBig();
            return;
        }
        if (binary == null && last) {
            byte[] data = new byte[part.remaining()];
            part.get(data);
            transport.onBinary(data);
            return;
        }
        if (binary == null) {
            binary = new ByteArrayOutputStream(Math.min(maxPayload, part.remaining() * 2));
        }
        byte[] chunk = new byte[part.remaining()];
        part.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            byte[] whole = binary.toByteArray();
            binary = null;
            transport.onBinary(whole);
        }
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        WebSocketTransport t = transport;
        if (t != null) {
            t.onClosed(closeReason);
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        WebSocketTransport t = transport;
        if (t != null) {
            t.onError(error);
        }
    }

    /**
     * The client of the upgrade this thread performs: containers call the configurator on the thread of
     * {@code upgradeHttpToWebSocket}, and the handshake request offers no remote address.
     */
    private static final ThreadLocal<Upgrading> UPGRADING = new ThreadLocal<>();

    /**
     * @param handshake what the servlet took from the request (its remote address the one logs name); @param client
     *     the address the per-address cap counts
     */
    private record Upgrading(SocketIoHandshake handshake, String client) {}

    static void upgrading(SocketIoHandshake handshake, String client) {
        UPGRADING.set(new Upgrading(handshake, client));
    }

    static void upgraded() {
        UPGRADING.remove();
    }

    /** Creates an endpoint per WebSocket and captures the upgrade request's headers, query and origin. */
    static final class Configurator extends ServerEndpointConfig.Configurator {
        private final EngineIoCore core;

        Configurator(EngineIoCore core) {
            this.core = core;
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(new WebSocketEndpoint(core));
        }

        /**
         * None, permessage-deflate included (as the Node.js server's default): it costs a deflater and an inflater
         * per connection and CPU per message, for chat packets of a few hundred bytes.
         */
        @Override
        public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            return List.of();
        }

        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return true; // decided by the servlet before the upgrade (see modifyHandshake)
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            Upgrading upgrading = UPGRADING.get();
            WebSocketHandshake handshake;
            if (upgrading != null) {
                // through the servlet: it took the handshake (the container's request has no headers or query
                // left, see EngineIoServlet.UpgradeRequest) and checked the Origin with the request's scheme,
                // host and port
                handshake = new WebSocketHandshake(upgrading.handshake(), true, upgrading.client());
            } else {
                // any other upgrade may only be a non-browser client or an allowlisted origin
                SocketIoHandshake direct = new SocketIoHandshake(
                        request.getHeaders(), request.getParameterMap(), null, null, Instant.now());
                handshake = new WebSocketHandshake(
                        direct, core.originAllowed(direct.header("Origin"), null, null, -1), null);
            }
            sec.getUserProperties().put(HANDSHAKE_KEY, handshake);
        }
    }
}
