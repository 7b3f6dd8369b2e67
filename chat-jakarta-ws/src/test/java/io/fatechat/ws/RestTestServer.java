package io.fatechat.ws;

import io.fatechat.core.ChatEngine;
import io.fatechat.core.memory.InMemoryThrottleStore;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A Jetty on a free loopback port serving {@link ChatRestServlet} at {@code /api/*}, as a host would mount it. */
final class RestTestServer implements AutoCloseable {

    private final Server jetty;
    private final int port;

    private RestTestServer(Server jetty, int port) {
        this.jetty = jetty;
        this.port = port;
    }

    static RestTestServer start(ChatEngine engine, ChatRestConfig config) throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder rest =
                new ServletHolder("rest", new ChatRestServlet(engine, config, new InMemoryThrottleStore()));
        rest.setAsyncSupported(true); // bodies are read with a ReadListener
        context.addServlet(rest, "/api/*");
        jetty.setHandler(context);
        jetty.start();
        return new RestTestServer(jetty, connector.getLocalPort());
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
