package io.fatechat.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * A lean Socket.IO v5 client over Engine.IO v4 WebSocket text frames (no polling, no binary): connect to the
 * default namespace with {@code {"token": ...}}, answer pings, emit events with acks, hand incoming events to
 * a listener without parsing them. Thread-safe for emits.
 */
public final class SioClient implements FrameHandler {

    /** What the generator wants from incoming packets; called on the client's I/O threads. */
    public interface Listener {
        /** A Socket.IO EVENT packet's text, starting at its JSON array ({@code ["name",...]}). */
        void onEvent(SioClient client, String packet, int arrayStart, long receivedNanos);

        /** The connection ended (by the server, a network error or {@link #close()}). */
        void onClosed(SioClient client, String reason);
    }

    public final int index;
    private final String token;
    private final Listener listener;
    private final CompletableFuture<SioClient> connected = new CompletableFuture<>();
    private final ConcurrentHashMap<Integer, Consumer<String>> acks = new ConcurrentHashMap<>();
    private final AtomicInteger ackIds = new AtomicInteger();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile CoreSession session;
    private volatile boolean closed;

    public SioClient(int index, String token, Listener listener) {
        this.index = index;
        this.token = token;
        this.listener = listener;
    }

    /** Opens the WebSocket; the future completes once the namespace CONNECT is acknowledged. */
    public CompletableFuture<SioClient> connect(WebSocketCoreClient ws, URI base, long timeoutMillis) {
        String scheme = "https".equals(base.getScheme()) ? "wss" : "ws";
        URI uri = URI.create(scheme + "://" + base.getAuthority() + "/socket.io/?EIO=4&transport=websocket");
        try {
            CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(ws, uri, this);
            request.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
            ws.connect(request).whenComplete((s, e) -> {
                if (e != null) {
                    connected.completeExceptionally(e);
                }
            });
        } catch (Exception e) {
            connected.completeExceptionally(e);
        }
        return connected.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Why a connect or an emit failed, for error samples: the innermost cause's type and message (a refused
     * upgrade names the HTTP status, e.g. 429 for an address over the server's session cap).
     */
    public static String failureReason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    public boolean isOpen() {
        return session != null && !closed;
    }

    /** Emits {@code ["event", payloadJson]} with an ack; {@code onAck} gets the ack's JSON array text. */
    public void emit(String event, String payloadJson, Consumer<String> onAck) {
        StringBuilder packet = new StringBuilder(payloadJson.length() + event.length() + 16).append("42");
        if (onAck != null) {
            int id = ackIds.incrementAndGet();
            acks.put(id, onAck);
            packet.append(id);
        }
        packet.append("[\"").append(event).append("\",").append(payloadJson).append(']');
        send(packet.toString());
    }

    void send(String text) {
        CoreSession s = session;
        if (s != null && !closed) {
            s.sendFrame(new Frame(OpCode.TEXT, text), Callback.NOOP, false);
        }
    }

    public void close() {
        CoreSession s = session;
        closed = true;
        if (s != null) {
            s.close(CloseStatus.NORMAL, "bye", Callback.NOOP);
        }
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        coreSession.setIdleTimeout(Duration.ofMinutes(10));
        coreSession.setMaxFrameSize(16 << 20);
        coreSession.setMaxTextMessageSize(16 << 20);
        this.session = coreSession;
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        long now = System.nanoTime();
        byte op = frame.getOpCode();
        try {
            if (op == OpCode.TEXT || op == OpCode.CONTINUATION) {
                if (frame.isFin() && partial.size() == 0) {
                    handle(frame.getPayloadAsUTF8(), now);
                } else {
                    ByteBuffer payload = frame.getPayload();
                    if (payload != null) {
                        byte[] bytes = new byte[payload.remaining()];
                        payload.duplicate().get(bytes);
                        partial.write(bytes, 0, bytes.length);
                    }
                    if (frame.isFin()) {
                        String text = partial.toString(StandardCharsets.UTF_8);
                        partial.reset();
                        handle(text, now);
                    }
                }
            }
        } finally {
            callback.succeeded();
            if (op != OpCode.CLOSE) {
                session.demand();
            }
        }
    }

    private void handle(String text, long now) {
        if (text.isEmpty()) {
            return;
        }
        char engineType = text.charAt(0);
        if (engineType == '2') {
            send("3" + text.substring(1));
            return;
        }
        if (engineType == '0') {
            send("40{\"token\":\"" + token + "\"}");
            return;
        }
        if (engineType == '1') {
            closeWith("engine.io close");
            return;
        }
        if (engineType != '4' || text.length() < 2) {
            return;
        }
        char sio = text.charAt(1);
        switch (sio) {
            case '2' -> {
                int arrayStart = text.indexOf('[', 2);
                if (arrayStart > 0) {
                    listener.onEvent(this, text, arrayStart, now);
                }
            }
            case '3' -> {
                int arrayStart = text.indexOf('[', 2);
                if (arrayStart > 2) {
                    Consumer<String> ack = acks.remove(Integer.parseInt(text, 2, arrayStart, 10));
                    if (ack != null) {
                        ack.accept(text.substring(arrayStart));
                    }
                }
            }
            case '0' -> connected.complete(this);
            case '4' -> {
                connected.completeExceptionally(new IllegalStateException("connect refused: " + text.substring(2)));
                close();
            }
            case '1' -> closeWith("namespace disconnect");
            default -> {}
        }
    }

    private void closeWith(String reason) {
        if (!closed) {
            closed = true;
            listener.onClosed(this, reason);
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        connected.completeExceptionally(cause);
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        connected.completeExceptionally(new IllegalStateException("closed: " + closeStatus));
        boolean wasOpen = !closed;
        closed = true;
        if (wasOpen) {
            listener.onClosed(this, "websocket closed " + closeStatus.getCode() + " " + closeStatus.getReason());
        }
        callback.succeeded();
    }
}
