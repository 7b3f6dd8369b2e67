package io.fatechat.socketio;

/**
 * The acknowledgement a client asked for with an event. Only the first {@link #send} is delivered; when the
 * client asked for none, {@link #requested()} is false and {@code send} does nothing.
 */
public interface Ack {

    /** Whether the client expects an acknowledgement. */
    boolean requested();

    /** Sends the acknowledgement with {@code args} (converted to JSON by Jackson; {@code byte[]} become binary). */
    void send(Object... args);
}
