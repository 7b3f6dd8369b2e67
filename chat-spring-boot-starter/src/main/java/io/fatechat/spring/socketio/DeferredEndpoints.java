package io.fatechat.spring.socketio;

import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in {@link ServerContainer} that records the endpoints added to it, for containers that publish their
 * real one only after servlet context initializers have run (Tomcat adds its WebSocket initializer after Spring
 * Boot's). The recorded endpoints are added to the real container once it exists.
 */
final class DeferredEndpoints {

    private final List<ServerEndpointConfig> endpoints = new ArrayList<>();

    /** The stand-in: only {@code addEndpoint(ServerEndpointConfig)} is supported. */
    ServerContainer container() {
        return (ServerContainer) Proxy.newProxyInstance(
                ServerContainer.class.getClassLoader(),
                new Class<?>[] {ServerContainer.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("addEndpoint")
                            && args.length == 1
                            && args[0] instanceof ServerEndpointConfig config) {
                        synchronized (endpoints) {
                            endpoints.add(config);
                        }
                        return null;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "DeferredEndpoints" + endpoints;
                        };
                    }
                    throw new UnsupportedOperationException(
                            method.getName() + " before the container's WebSocket support has started");
                });
    }

    /**
     * Adds every recorded endpoint to {@code container}.
     *
     * @throws Exception the container's {@code DeploymentException}, whose class lives in the client API jar that
     *         containers bundle in different versions
     */
    void addTo(ServerContainer container) throws Exception {
        synchronized (endpoints) {
            for (ServerEndpointConfig endpoint : endpoints) {
                container.addEndpoint(endpoint);
            }
        }
    }
}
