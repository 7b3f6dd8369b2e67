package io.fatechat.spi;

/** No room with this name or id exists. */
public class UnknownRoomException extends NotFoundException {

    private static final long serialVersionUID = 1L;

    private final String room;

    public UnknownRoomException(String room) {
        super("unknown room '" + room + "'");
        this.room = room;
    }

    /** The room name or id as it was asked for. */
    public String room() {
        return room;
    }
}
