package io.fatechat.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** Receives a client's acknowledgement of {@link SocketIoSocket#emitWithAck}; runs on the worker pool. */
@FunctionalInterface
public interface AckCallback {

    /** The acknowledgement arrived with {@code args}. */
    void onAck(ArrayNode args);
}
