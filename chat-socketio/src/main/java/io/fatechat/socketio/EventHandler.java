package io.fatechat.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Handles one client event. Runs on the worker pool, in arrival order per connection. Binary attachments
 * appear as {@link com.fasterxml.jackson.databind.node.BinaryNode}s. An exception thrown here is logged and the
 * connection stays open.
 */
@FunctionalInterface
public interface EventHandler {

    /**
     * @param args the event arguments (without the event name)
     * @param ack  the acknowledgement; check {@link Ack#requested()}
     */
    void onEvent(ArrayNode args, Ack ack);
}
