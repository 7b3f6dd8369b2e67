package io.fatechat.spring.socketio;

import io.fatechat.socketio.SocketIoDeployment;
import io.fatechat.socketio.SocketIoServer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.server.ServerContainer;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.web.servlet.ServletContextInitializer;

/**
 * Deploys the Socket.IO endpoint into the servlet container in the phase each container allows: the long-polling
 * servlet while servlet context initializers run (the only phase that may add servlets), the WebSocket endpoint
 * as soon as the container's {@link ServerContainer} exists. Jetty publishes that container before Spring Boot's
 * initializers run, Tomcat only after them (its WebSocket initializer comes later), so on Tomcat the endpoint is
 * added by a context listener, which runs after every initializer. Works the same on Spring Boot 3.5 and 4.0
 * because it uses no container-specific Spring Boot API.
 */
public class SocketIoServletRegistration implements ServletContextInitializer, SmartInitializingSingleton {

    static final String NO_WEBSOCKET = "the servlet container has no Jakarta WebSocket support (no ServerContainer in "
            + "the servlet context attribute '" + SocketIoDeployment.SERVER_CONTAINER_ATTRIBUTE + "'). Fatechat's "
            + "Socket.IO endpoint supports Spring Boot 3.5.x and 4.0.x on Tomcat or Jetty: on Spring Boot 4 add "
            + "spring-boot-starter-websocket; on 3.5 keep tomcat-embed-websocket (in spring-boot-starter-tomcat) or, "
            + "on Jetty, jetty-ee10-websocket-jakarta-server (in spring-boot-starter-jetty). Or switch the endpoint "
            + "off with fatechat.socketio.enabled=false";

    private final SocketIoServer server;
    private volatile RuntimeException failure;

    public SocketIoServletRegistration(SocketIoServer server) {
        this.server = server;
    }

    @Override
    public void onStartup(ServletContext context) {
        if (context.getAttribute(SocketIoDeployment.SERVER_CONTAINER_ATTRIBUTE) instanceof ServerContainer container) {
            SocketIoDeployment.register(context, container, server);
            return;
        }
        DeferredEndpoints deferred = new DeferredEndpoints();
        SocketIoDeployment.register(context, deferred.container(), server);
        context.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                publish(event.getServletContext(), deferred);
            }
        });
    }

    private void publish(ServletContext context, DeferredEndpoints deferred) {
        if (!(context.getAttribute(SocketIoDeployment.SERVER_CONTAINER_ATTRIBUTE)
                instanceof ServerContainer container)) {
            failure = new IllegalStateException("Cannot serve Socket.IO: " + NO_WEBSOCKET);
            throw failure;
        }
        try {
            deferred.addTo(container);
        } catch (Exception e) {
            failure = new IllegalStateException("Cannot deploy the Socket.IO WebSocket endpoint: " + e.getMessage(), e);
            throw failure;
        }
    }

    /** Fails the application's start when the container could not take the endpoint (its own log says less). */
    @Override
    public void afterSingletonsInstantiated() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }
}
