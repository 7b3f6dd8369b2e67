/**
 * A Socket.IO server (Engine.IO protocol v4, Socket.IO protocol v5) for any Jakarta WebSocket 2.x / Servlet 6
 * container, independent of the chat engine.
 *
 * <p>Start with {@link io.fatechat.socketio.SocketIoConfig}, create a {@link io.fatechat.socketio.SocketIoServer},
 * add handlers, then deploy it with {@link io.fatechat.socketio.SocketIoDeployment}. Handlers run on a bounded
 * worker pool, in order per connection, never on a container I/O thread.
 */
package io.fatechat.socketio;
