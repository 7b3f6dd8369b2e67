package io.fatechat.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * A raw WebSocket client (Jetty's Jakarta WebSocket client) that records every frame, for protocol-level tests.
 * Text frames are Strings, binary frames byte arrays. Pings ({@code "2"}) are answered and skipped unless
 * {@link #answerPings} is false.
 */
final class WsTestClient implements AutoCloseable {

    private static final WebSocketContainer CONTAINER = newContainer();

    private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private volatile boolean answerPings = true;
    private Session session;

    /** A client whose connect timeout is generous: a loaded CI host can take seconds to accept a connection. */
    private static WebSocketContainer newContainer() {
        HttpClient http = new HttpClient();
        http.setConnectTimeout(30_000);
        JakartaWebSocketClientContainer container = new JakartaWebSocketClientContainer(http);
        LifeCycle.start(container);
        return container;
    }

    static WsTestClient connect(URI uri) throws Exception {
        return connect(uri, Map.of());
    }

    static WsTestClient connect(URI uri, Map<String, String> headers) throws Exception {
        WsTestClient client = new WsTestClient();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> h) {
                        headers.forEach((k, v) -> h.put(k, List.of(v)));
                    }
                })
                .build();
        client.session = CONTAINER.connectToServer(client.endpoint(), config, uri);
        client.session.setMaxTextMessageBufferSize(4 * 1024 * 1024);
        client.session.setMaxBinaryMessageBufferSize(4 * 1024 * 1024);
        return client;
    }

    private Endpoint endpoint() {
        return new Endpoint() {
            @Override
            public void onOpen(Session s, EndpointConfig config) {
                s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                    if (answerPings && "2".equals(text)) {
                        s.getAsyncRemote().sendText("3");
                    } else {
                        frames.add(text);
                    }
                });
                s.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) buf -> {
                    byte[] b = new byte[buf.remaining()];
                    buf.get(b);
                    frames.add(b);
                });
            }

            @Override
            public void onClose(Session s, CloseReason reason) {
                closed.complete(reason);
            }

            @Override
            public void onError(Session s, Throwable t) {
                closed.complete(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, String.valueOf(t)));
            }
        };
    }

    WsTestClient answerPings(boolean answer) {
        this.answerPings = answer;
        return this;
    }

    void send(String text) throws Exception {
        session.getBasicRemote().sendText(text);
    }

    void send(byte[] data) throws Exception {
        session.getBasicRemote().sendBinary(ByteBuffer.wrap(data));
    }

    /** One text message sent as a fragmented WebSocket message, one frame per part. */
    void sendInParts(String... parts) throws Exception {
        for (int i = 0; i < parts.length; i++) {
            session.getBasicRemote().sendText(parts[i], i == parts.length - 1);
        }
    }

    /** One binary message sent as a fragmented WebSocket message, one frame per part. */
    void sendInParts(byte[]... parts) throws Exception {
        for (int i = 0; i < parts.length; i++) {
            session.getBasicRemote().sendBinary(ByteBuffer.wrap(parts[i]), i == parts.length - 1);
        }
    }

    /** The next frame; fails after 10 s. */
    Object next() throws InterruptedException {
        Object f = frames.poll(10, TimeUnit.SECONDS);
        assertThat(f).as("a frame within 10 s").isNotNull();
        return f;
    }

    String nextText() throws InterruptedException {
        Object f = next();
        assertThat(f).isInstanceOf(String.class);
        return (String) f;
    }

    /** Reads the Engine.IO handshake and returns the sid. */
    String handshake() throws InterruptedException {
        String open = nextText();
        assertThat(open).startsWith("0{\"sid\":\"");
        return open.substring(9, open.indexOf('"', 9));
    }

    /** Engine.IO handshake plus Socket.IO CONNECT to {@code "/"}; returns the CONNECT answer. */
    String connectSocketIo(String connectPacket) throws Exception {
        handshake();
        send(connectPacket);
        return nextText();
    }

    boolean isOpen() {
        return session.isOpen();
    }

    /** Waits for the server to close the connection. */
    CloseReason awaitClosed() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws java.io.IOException {
        if (session.isOpen()) {
            session.close();
        }
    }
}
