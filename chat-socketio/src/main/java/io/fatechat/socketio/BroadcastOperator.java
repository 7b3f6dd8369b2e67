package io.fatechat.socketio;

/**
 * An immutable selection of sockets in one namespace: the union of the {@link #to} rooms (all sockets when no
 * room is named) minus the {@link #except} rooms. {@link #emit} encodes the packet once and queues the same
 * bytes for every recipient.
 */
public interface BroadcastOperator {

    /** Adds {@code room} to the targets. */
    BroadcastOperator to(String room);

    /** Skips sockets in {@code room} (a socket id is a room too). */
    BroadcastOperator except(String room);

    /**
     * Sends {@code event} to every selected socket; never blocks.
     *
     * @return the number of sockets the packet was queued for
     */
    int emit(String event, Object... args);
}
