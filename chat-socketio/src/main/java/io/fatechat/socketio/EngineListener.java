package io.fatechat.socketio;

/** What sits on top of an Engine.IO connection; every method runs on the connection's serial executor. */
interface EngineListener {

    void onText(String message);

    void onBinary(byte[] data);

    void onClose(DisconnectReason reason);
}
