package io.fatechat.socketio;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Jakarta WebSocket endpoint that {@link SocketIoDeployment} registers (containers require it to be public).
 * One instance per WebSocket, created by the deployment's configurator; not for direct use.
 */
public final class WebSocketEndpoint extends Endpoint {

    static final String HANDSHAKE_KEY = "io.fatechat.socketio.handshake";
    private static final String REMOTE_ADDRESS_KEY = "jakarta.websocket.endpoint.remoteAddress";

    private final EngineIoCore core;
    private volatile EngineConnection connection;

    WebSocketEndpoint(EngineIoCore core) {
        this.core = core;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        WebSocketHandshake hs = (WebSocketHandshake) config.getUserProperties().get(HANDSHAKE_KEY);
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
        connection = c;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> c.onWsText(session, text));
        session.addMessageHandler(byte[].class, (MessageHandler.Whole<byte[]>) data -> c.onWsBinary(session, data));
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

        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return true; // decided in modifyHandshake, where the Host header is known
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            Map<String, List<String>> headers = new LinkedHashMap<>(request.getHeaders());
            Map<String, List<String>> query = new LinkedHashMap<>(request.getParameterMap());
            SocketIoHandshake handshake = new SocketIoHandshake(headers, query, null, null, Instant.now());
            boolean allowed = core.originAllowed(handshake.header("Origin"), handshake.header("Host"));
            sec.getUserProperties().put(HANDSHAKE_KEY, new WebSocketHandshake(handshake, allowed));
        }
    }
}
