package io.fatechat.socketio;

/** What sits on top of an Engine.IO connection; every method runs on the connection's serial executor. */
interface EngineListener {

    void onText(String message);

    void onBinary(byte[] data);

    /** Called at once on the thread that closed the session, before {@link #onClose}; must be cheap (metrics). */
    void closing(EngineIoCloseReason reason);

    void onClose(EngineIoCloseReason reason);
}
