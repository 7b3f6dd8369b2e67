package io.fatechat.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** Handles an event nobody registered a handler for. */
@FunctionalInterface
public interface UnknownEventHandler {

    void onEvent(String event, ArrayNode args, Ack ack);
}
