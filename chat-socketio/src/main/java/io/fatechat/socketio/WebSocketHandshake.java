package io.fatechat.socketio;

/** What the endpoint configurator captured from a WebSocket upgrade request. */
record WebSocketHandshake(SocketIoHandshake handshake, boolean originAllowed) {}
