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

/**
 * The Jakarta WebSocket endpoint that {@link SocketIoDeployment} registers (containers require it to be public).
 * One instance per WebSocket, created by the deployment's configurator; not for direct use.
 */
public final class WebSocketEndpoint extends Endpoint {

    static final String HANDSHAKE_KEY = "io.fatechat.socketio.handshake";
    private static final String REMOTE_ADDRESS_KEY = "jakarta.websocket.endpoint.remoteAddress";

    private final EngineIoCore core;
    private volatile EngineConnection connection;
    private Session session;
    private int maxPayload;
    /** The message so far while one arrives in parts; null between messages, so an idle socket holds none. */
    private StringBuilder text;
    private ByteArrayOutputStream binary;

    WebSocketEndpoint(EngineIoCore core) {
        this.core = core;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        // removed: the container keeps the config's properties as long as the socket lives, the connection its own
        WebSocketHandshake hs = (WebSocketHandshake) config.getUserProperties().remove(HANDSHAKE_KEY);
        Object remote = session.getUserProperties().get(REMOTE_ADDRESS_KEY);
        if (remote == null) {
            remote = config.getUserProperties().get(REMOTE_ADDRESS_KEY);
        }
        String remoteAddress = remote == null ? null : remote.toString().replaceFirst("^/", "");
        SocketIoHandshake base = hs.handshake();
        hs = new WebSocketHandshake(new SocketIoHandshake(base.headers(), base.query(), remoteAddress, null,
                base.issuedAt()), hs.originAllowed());
        EngineConnection c = core.onWebSocketOpen(session, hs);
        if (c == null) {
            return;
        }
        this.session = session;
        connection = c;
        maxPayload = core.config.maxPayload();
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onTextPart);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) this::onBinaryPart);
    }

    // Parts of one message arrive one after another on the container's thread for this session; a message that
    // fits the container's (small) buffer comes as one part and is passed on without a copy.

    private void onTextPart(String part, boolean last) {
        if (text == null && last) {
            if (part.length() > maxPayload) {
                connection.onWsTooBig(session);
            } else {
                connection.onWsText(session, part);
            }
            return;
        }
        if (text == null) {
            text = new StringBuilder(Math.min(maxPayload, part.length() * 2));
        }
        if (text.length() + part.length() > maxPayload) {
            text = null;
            connection.onWsTooBig(session);
            return;
        }
        text.append(part);
        if (last) {
            String whole = text.toString();
            text = null;
            connection.onWsText(session, whole);
        }
    }

    private void onBinaryPart(ByteBuffer part, boolean last) {
        int size = (binary == null ? 0 : binary.size()) + part.remaining();
        if (size > maxPayload) {
            binary = null;
            connection.onWsTooBig(session);
            return;
        }
        if (binary == null && last) {
            byte[] data = new byte[part.remaining()];
            part.get(data);
            connection.onWsBinary(session, data);
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
            connection.onWsBinary(session, whole);
        }
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        EngineConnection c = connection;
        if (c != null) {
            c.onWsClosed(session, closeReason);
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        EngineConnection c = connection;
        if (c != null) {
            c.onWsError(session, error);
        }
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
            return true; // decided in modifyHandshake, where the Host header is known
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            SocketIoHandshake handshake = new SocketIoHandshake(request.getHeaders(), request.getParameterMap(), null,
                    null, Instant.now());
            boolean allowed = core.originAllowed(handshake.header("Origin"), handshake.header("Host"));
            sec.getUserProperties().put(HANDSHAKE_KEY, new WebSocketHandshake(handshake, allowed));
        }
    }
}
