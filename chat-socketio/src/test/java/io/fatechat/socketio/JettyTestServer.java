package io.fatechat.socketio;

import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** An embedded Jetty 12 (ee10) on an ephemeral port with a Socket.IO and/or plain Engine.IO server deployed. */
final class JettyTestServer implements AutoCloseable {

    private final Server jetty;
    private final SocketIoServer io;
    private final EngineIoServer eio;
    final int port;

    private JettyTestServer(Server jetty, SocketIoServer io, EngineIoServer eio, int port) {
        this.jetty = jetty;
        this.io = io;
        this.eio = eio;
        this.port = port;
    }

    static JettyTestServer start(SocketIoServer io) throws Exception {
        return start(io, null);
    }

    static JettyTestServer start(SocketIoServer io, EngineIoServer eio) throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setPort(0);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
            if (io != null) {
                SocketIoDeployment.register(servletContext, container, io);
            }
            if (eio != null) {
                SocketIoDeployment.register(servletContext, container, eio);
            }
        });
        jetty.setHandler(context);
        jetty.start();
        return new JettyTestServer(jetty, io, eio, connector.getLocalPort());
    }

    URI http(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    }

    @Override
    public void close() throws Exception {
        // the Socket.IO servers first, so clients get a clean close before the container goes away
        try {
            if (io != null) {
                io.close();
            }
            if (eio != null) {
                eio.close();
            }
        } finally {
            jetty.stop();
        }
    }
}
