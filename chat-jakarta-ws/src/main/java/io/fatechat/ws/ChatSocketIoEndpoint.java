package io.fatechat.ws;

import io.fatechat.core.ChatEngine;
import io.fatechat.socketio.SocketIoConfig;
import io.fatechat.socketio.SocketIoDeployment;
import io.fatechat.socketio.SocketIoServer;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat's Socket.IO endpoint in a Jakarta container, for hosts without Spring: one call creates the
 * {@link SocketIoServer}, binds it to the {@link ChatEngine} and deploys it (WebSocket endpoint and long-polling
 * servlet at {@link SocketIoConfig#path()}).
 *
 * <pre>{@code
 * ChatEngine engine = ChatEngine.builder().tokenSecret(secret).build();
 * SocketIoConfig config = SocketIoConfig.builder().allowedOrigins("https://chat.example.com").build();
 * // while the ServletContext initialises, e.g. in a ServletContextListener or Jetty's
 * // JakartaWebSocketServletContainerInitializer.configure(context, (ctx, container) -> ...):
 * ChatSocketIoEndpoint endpoint = ChatSocketIoEndpoint.install(ctx, container, engine, config);
 * // on shutdown: endpoint.close(); engine.close();
 * }</pre>
 *
 * <p>Browser origins are checked by the protocol layer against {@link SocketIoConfig#allowedOrigins()}: none
 * configured means same origin only. Closing the endpoint does not close the engine, which the host owns.
 */
public final class ChatSocketIoEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChatSocketIoEndpoint.class);

    private final SocketIoServer server;
    private final ChatSocketIoBinding binding;

    private ChatSocketIoEndpoint(SocketIoServer server, ChatSocketIoBinding binding) {
        this.server = server;
        this.binding = binding;
    }

    /** Installs the endpoint in {@code context}, using the WebSocket container the context publishes. */
    public static ChatSocketIoEndpoint install(ServletContext context, ChatEngine engine, SocketIoConfig config) {
        Objects.requireNonNull(context, "context");
        return install(engine, config, server -> SocketIoDeployment.register(context, server));
    }

    /** Installs the endpoint in {@code context} and its WebSocket {@code container}. */
    public static ChatSocketIoEndpoint install(
            ServletContext context, ServerContainer container, ChatEngine engine, SocketIoConfig config) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(container, "container");
        return install(engine, config, server -> SocketIoDeployment.register(context, container, server));
    }

    private interface Deployer {
        void deploy(SocketIoServer server);
    }

    private static ChatSocketIoEndpoint install(ChatEngine engine, SocketIoConfig config, Deployer deployer) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(config, "config");
        SocketIoServer server = SocketIoServer.create(config);
        ChatSocketIoBinding binding = null;
        try {
            binding = ChatSocketIoBinding.bind(engine, server);
            deployer.deploy(server);
        } catch (RuntimeException | Error e) {
            if (binding != null) {
                binding.close();
            }
            server.close();
            throw e;
        }
        LOG.info(
                "Chat Socket.IO endpoint installed at {} (allowed origins: {})",
                config.path(),
                config.allowedOrigins().isEmpty() ? "same origin only" : config.allowedOrigins());
        return new ChatSocketIoEndpoint(server, binding);
    }

    /** The Socket.IO server, e.g. to add namespaces or read {@link SocketIoServer#connectionCount()}. */
    public SocketIoServer server() {
        return server;
    }

    /** The chat binding on the default namespace. */
    public ChatSocketIoBinding binding() {
        return binding;
    }

    /** Detaches the binding from the engine and closes the server (disconnecting every client). */
    @Override
    public void close() {
        binding.close();
        server.close();
    }
}
