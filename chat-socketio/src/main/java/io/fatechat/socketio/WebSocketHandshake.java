package io.fatechat.socketio;

/**
 * What the endpoint configurator captured from a WebSocket upgrade request; {@code clientAddress} is the address
 * the per-address cap counts (null when the upgrade did not pass the servlet).
 */
record WebSocketHandshake(SocketIoHandshake handshake, boolean originAllowed, String clientAddress) {}
