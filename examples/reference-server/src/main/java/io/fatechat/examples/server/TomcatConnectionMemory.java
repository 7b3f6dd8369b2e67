package io.fatechat.examples.server;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Shrinks the buffers Tomcat gives every connection for its whole life, which chat sockets (thousands, mostly
 * idle, packets of a few hundred bytes) otherwise pay in full: 8 KiB each for the socket's read and write
 * buffers, and per WebSocket an 8 KiB binary and a 16 KiB text message buffer, besides the input, output and
 * encoder buffers that {@link ReferenceServer#main} sizes with {@value #WEBSOCKET_BUFFER_PROPERTY}.
 * Larger messages still work: the Socket.IO endpoint takes them in parts, and writes go out in several calls.
 */
@Component
class TomcatConnectionMemory implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    /** Tomcat's size of each WebSocket's input, output and encoder buffer (default 8 KiB). */
    static final String WEBSOCKET_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    /**
     * 512: a chat packet (a message event is 200-400 bytes) fits; a larger outgoing message goes out as several
     * frames of this size, an incoming one arrives in parts. 1 KiB cost 1.5 KiB more per connection (issue 11).
     */
    static final String WEBSOCKET_BUFFER_SIZE = "512";
    /** What Tomcat reads from the socket at once: no more than the WebSocket input buffer takes. */
    private static final String SOCKET_READ_BUFFER_SIZE = "512";
    /**
     * What Tomcat gathers before a write: a whole frame of {@value #WEBSOCKET_BUFFER_SIZE} bytes plus its header,
     * so that every frame is still one write.
     */
    private static final String SOCKET_WRITE_BUFFER_SIZE = "1024";

    private static final String MESSAGE_BUFFER_SIZE = "256";

    /** Sets the WebSocket buffer size unless given with -D; must run before Tomcat's WebSocket classes load. */
    static void sizeWebSocketBuffers() {
        if (System.getProperty(WEBSOCKET_BUFFER_PROPERTY) == null) {
            System.setProperty(WEBSOCKET_BUFFER_PROPERTY, WEBSOCKET_BUFFER_SIZE);
        }
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("socket.appReadBufSize", SOCKET_READ_BUFFER_SIZE);
            connector.setProperty("socket.appWriteBufSize", SOCKET_WRITE_BUFFER_SIZE);
        });
        factory.addContextCustomizers(context -> {
            context.addParameter("org.apache.tomcat.websocket.textBufferSize", MESSAGE_BUFFER_SIZE);
            context.addParameter("org.apache.tomcat.websocket.binaryBufferSize", MESSAGE_BUFFER_SIZE);
        });
    }
}
