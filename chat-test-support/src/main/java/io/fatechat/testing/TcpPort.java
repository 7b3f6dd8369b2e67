package io.fatechat.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether something accepts TCP connections at a host and port: how the tests tell that a local service is up. */
public final class TcpPort {

    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private TcpPort() {}

    /** Whether {@code host:port} accepts a connection within a second. */
    public static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
