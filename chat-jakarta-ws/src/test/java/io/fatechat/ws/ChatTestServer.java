package io.fatechat.ws;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatLimits;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.socketio.SocketIoConfig;
import io.fatechat.socketio.SocketIoMetrics;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.HistoryStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An embedded Jetty (ee10) on an ephemeral port serving the chat's Socket.IO endpoint, with a real
 * {@link ChatEngine} on its in-memory stores, installed the way a plain-Java host does it.
 */
final class ChatTestServer implements AutoCloseable {

    /** Small enough that a test can exceed it cheaply. */
    static final int MAX_MESSAGE_LENGTH = 200;

    static final String PASSWORD = "correct horse battery";
    /** Reading this room's history fails with an unexpected exception, to test the {@code internal} answer. */
    static final String BROKEN_HISTORY_ROOM = "Broken History";

    private final ChatEngine engine;
    private final Server jetty;
    private final ChatSocketIoEndpoint endpoint;
    private final int port;
    private final Queue<Integer> broadcasts;

    private ChatTestServer(
            ChatEngine engine, Server jetty, ChatSocketIoEndpoint endpoint, int port, Queue<Integer> broadcasts) {
        this.engine = engine;
        this.jetty = jetty;
        this.endpoint = endpoint;
        this.port = port;
        this.broadcasts = broadcasts;
    }

    static ChatTestServer start() throws Exception {
        return start(config -> {});
    }

    /** Starts with the test defaults, then {@code customizer}'s changes to the Socket.IO configuration. */
    static ChatTestServer start(Consumer<SocketIoConfig.Builder> customizer) throws Exception {
        return start(customizer, engineBuilder -> {});
    }

    /** Starts with the test defaults and {@code engineCustomizer}'s changes to the engine (e.g. shared stores). */
    static ChatTestServer start(
            Consumer<SocketIoConfig.Builder> customizer, Consumer<ChatEngine.Builder> engineCustomizer)
            throws Exception {
        ChatEngine.Builder engineBuilder = ChatEngine.builder()
                .historyStore(new BrokenForOneRoom(new InMemoryHistoryStore()))
                .bcryptCost(4)
                .tokenSecret("a test secret of at least thirty-two bytes")
                .limits(ChatLimits.builder()
                        .maxMessageLength(MAX_MESSAGE_LENGTH)
                        .messagesPerSecond(1000)
                        .messageBurst(1000)
                        .build());
        engineCustomizer.accept(engineBuilder);
        ChatEngine engine = engineBuilder.build();
        Queue<Integer> broadcasts = new ConcurrentLinkedQueue<>();
        SocketIoConfig.Builder builder = SocketIoConfig.builder()
                .pingInterval(Duration.ofSeconds(5))
                .pingTimeout(Duration.ofSeconds(5))
                .workerThreads(4)
                .metrics(new SocketIoMetrics() {
                    @Override
                    public void broadcast(int recipients) {
                        broadcasts.add(recipients);
                    }
                });
        customizer.accept(builder);
        SocketIoConfig config = builder.build();
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        jetty.setHandler(context);
        AtomicReference<ChatSocketIoEndpoint> endpoint = new AtomicReference<>();
        JakartaWebSocketServletContainerInitializer.configure(
                context,
                (servletContext, container) ->
                        endpoint.set(ChatSocketIoEndpoint.install(servletContext, container, engine, config)));
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                if (endpoint.get() != null) {
                    endpoint.get().close();
                }
                jetty.stop();
            } finally {
                engine.close();
            }
            throw e;
        }
        return new ChatTestServer(engine, jetty, endpoint.get(), connector.getLocalPort(), broadcasts);
    }

    ChatEngine engine() {
        return engine;
    }

    ChatSocketIoEndpoint endpoint() {
        return endpoint;
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Registers {@code email} and returns its token. */
    String register(String email) {
        return engine.register(email, PASSWORD);
    }

    /** Creates a room and returns its canonical name. */
    String createRoom(String name) {
        return engine.createRoom("admin@example.com", name).name();
    }

    /** Recipient counts of the protocol layer's room broadcasts so far, in order. */
    List<Integer> broadcastRecipients() {
        return List.copyOf(broadcasts);
    }

    @Override
    public void close() throws Exception {
        try {
            if (endpoint != null) {
                endpoint.close();
            }
            jetty.stop();
        } finally {
            engine.close();
        }
    }

    /** The in-memory history, except that {@link #BROKEN_HISTORY_ROOM} cannot be read. */
    private record BrokenForOneRoom(HistoryStore delegate) implements HistoryStore {

        @Override
        public void append(List<ChatMessage> batch) {
            delegate.append(batch);
        }

        @Override
        public List<ChatMessage> page(ConversationId conversation, String beforeId, int limit) {
            if (conversation.equals(ConversationId.room(BROKEN_HISTORY_ROOM))) {
                throw new IllegalStateException("simulated bug: secret detail that must not reach clients");
            }
            return delegate.page(conversation, beforeId, limit);
        }

        @Override
        public List<ChatMessage> after(ConversationId conversation, String afterId, int limit) {
            return delegate.after(conversation, afterId, limit);
        }

        @Override
        public Optional<ChatMessage> findByClientId(String sender, String clientId) {
            return delegate.findByClientId(sender, clientId);
        }
    }
}
