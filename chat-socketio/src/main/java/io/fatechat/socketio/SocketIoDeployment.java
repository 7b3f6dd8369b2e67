package io.fatechat.socketio;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Deploys a server into a Jakarta container: one async servlet mapped to {@code path*} serves long-polling and
 * checks every WebSocket upgrade before handing it to the container's {@link ServerContainer}
 * ({@code upgradeHttpToWebSocket}, Jakarta WebSocket 2.1), so refusals are plain HTTP statuses. Call it while
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

    private SocketIoDeployment() {}

    /** Registers {@code server} using the container found in {@code context}. */
    public static void register(ServletContext context, SocketIoServer server) {
        register(context, serverContainer(context), server);
    }

    /** Registers {@code server} in {@code context} and {@code container}. */
    public static void register(ServletContext context, ServerContainer container, SocketIoServer server) {
        deploy(context, container, server.core, "socketio");
    }

    /** Registers a plain Engine.IO server using the container found in {@code context}. */
    public static void register(ServletContext context, EngineIoServer server) {
        register(context, serverContainer(context), server);
    }

    /** Registers a plain Engine.IO server in {@code context} and {@code container}. */
    public static void register(ServletContext context, ServerContainer container, EngineIoServer server) {
        deploy(context, container, server.core, "engineio");
    }

    private static void deploy(ServletContext context, ServerContainer container, EngineIoCore core, String kind) {
        String path = core.config.path();
        ServerEndpointConfig endpoint = ServerEndpointConfig.Builder.create(WebSocketEndpoint.class, path)
                .configurator(new WebSocketEndpoint.Configurator(core))
                .build();
        // Not added to the container: the servlet checks each upgrade and refuses a bad one as plain HTTP, then
        // hands the good ones to the container (ServerContainer.upgradeHttpToWebSocket).
        ServletRegistration.Dynamic servlet =
                context.addServlet("fatechat-" + kind + ":" + path, new EngineIoServlet(core, endpoint, container));
        if (servlet == null) {
            throw new IllegalStateException("a servlet for '" + path + "' is already registered");
        }
        servlet.setAsyncSupported(true);
        servlet.addMapping(path + "*");
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
