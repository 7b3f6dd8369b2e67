/**
 * A Socket.IO server (Engine.IO protocol v4, Socket.IO protocol v5) for any Jakarta WebSocket 2.x / Servlet 6
 * container, independent of the chat engine: it depends on the Jakarta APIs, Jackson and slf4j only.
 *
 * <p>Start with {@link io.fatechat.socketio.SocketIoConfig}, create a {@link io.fatechat.socketio.SocketIoServer},
 * add handlers, then deploy it with {@link io.fatechat.socketio.SocketIoDeployment}. Handlers run on a bounded
 * worker pool, in order per connection, never on a container I/O thread.
 *
 * <p>Inside, the layers of the Node.js implementation, package-private: the Engine.IO parser
 * ({@code EngineParser}), an Engine.IO session that knows no transport ({@code EngineSession}) behind a
 * {@code Transport} (polling, WebSocket), the Socket.IO parser ({@code PacketCodec}), the namespace/socket/broadcast
 * layer, and the Jakarta binding ({@code SocketIoDeployment}, {@code EngineIoServlet}, {@code WebSocketEndpoint}).
 * Each layer has its configuration ({@link io.fatechat.socketio.EngineIoConfig},
 * {@link io.fatechat.socketio.SocketIoConfig}) and close reasons ({@link io.fatechat.socketio.EngineIoCloseReason},
 * {@link io.fatechat.socketio.DisconnectReason}).
 *
 * <h2>Connection state recovery (the hook)</h2>
 * Socket.IO v5 clients that enable recovery get a private session id ({@code pid}) in the CONNECT answer,
 * {@code {"sid": ..., "pid": ...}}, and send it back with the offset of the last event they received in the auth
 * payload of their next CONNECT, {@code {"pid": ..., "offset": ..., ...}}. This server carries that exchange and
 * leaves its meaning to the application:
 * <ul>
 *   <li>a {@link io.fatechat.socketio.ConnectAuthorizer} reads the client's pid and offset from
 *       {@link io.fatechat.socketio.SocketIoHandshake#recoveryPid()} and
 *       {@link io.fatechat.socketio.SocketIoHandshake#recoveryOffset()} (the whole auth object is
 *       {@link io.fatechat.socketio.SocketIoHandshake#auth()}, also on {@link io.fatechat.socketio.SocketIoSocket#handshake()}
 *       in the connection handler);</li>
 *   <li>it accepts with {@link io.fatechat.socketio.ConnectAcceptance#of(Object, String)} to have the pid sent in
 *       the CONNECT answer (the same pid as the client sent means "recovered" to the client), readable later as
 *       {@link io.fatechat.socketio.SocketIoSocket#pid()};</li>
 *   <li>the application appends the offset as the last argument of the events it emits, and replays what the
 *       client missed itself.</li>
 * </ul>
 * Without a {@code ConnectAcceptance} carrying a pid, the CONNECT answer is {@code {"sid": ...}} as before.
 */
package io.fatechat.socketio;
