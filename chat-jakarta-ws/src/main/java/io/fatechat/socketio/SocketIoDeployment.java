package io.fatechat.socketio;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;

/**
 * Deploys a server into a Jakarta container: a WebSocket endpoint at the configured path (through the
 * container's {@link ServerContainer}) and an async long-polling servlet mapped to {@code path*}. Call it while
 * the servlet context is initialising (a {@code ServletContainerInitializer}, a {@code ServletContextListener},
 * Jetty's {@code JakartaWebSocketServletContainerInitializer.configure} callback, or a Spring Boot
 * {@code ServletContextInitializer}):
 *
 * <pre>{@code
 * // Spring Boot (servlet stack, Tomcat or Jetty with WebSocket support):
 * @Bean ServletContextInitializer socketIo(SocketIoServer io) {
 *     return ctx -> SocketIoDeployment.register(ctx, io);
 * }
 * // embedded Jetty 12 ee10:
 * JakartaWebSocketServletContainerInitializer.configure(context,
 *         (ctx, container) -> SocketIoDeployment.register(ctx, container, io));
 * }</pre>
 */
public final class SocketIoDeployment {

    /** The servlet context attribute under which Jakarta containers publish their {@link ServerContainer}. */
    public static final String SERVER_CONTAINER_ATTRIBUTE = "jakarta.websocket.server.ServerContainer";

    private SocketIoDeployment() {
    }

    /** Registers {@code server} using the container found in {@code context}. */
    public static void register(ServletContext context, SocketIoServer server) {
        register(context, serverContainer(context), server);
    }

    /** Registers {@code server} in {@code context} and {@code container}. */
    public static void register(ServletContext context, ServerContainer container, SocketIoServer server) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Registers a plain Engine.IO server using the container found in {@code context}. */
    public static void register(ServletContext context, EngineIoServer server) {
        register(context, serverContainer(context), server);
    }

    /** Registers a plain Engine.IO server in {@code context} and {@code container}. */
    public static void register(ServletContext context, ServerContainer container, EngineIoServer server) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    private static ServerContainer serverContainer(ServletContext context) {
        Object container = context.getAttribute(SERVER_CONTAINER_ATTRIBUTE);
        if (!(container instanceof ServerContainer sc)) {
            throw new IllegalStateException("no Jakarta WebSocket ServerContainer in servlet context attribute '"
                    + SERVER_CONTAINER_ATTRIBUTE + "': enable WebSocket support in the container first");
        }
        return sc;
    }
}
