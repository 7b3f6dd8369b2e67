package io.fatechat.spi;

/** The connection must join the room before sending to it. */
public class NotInRoomException extends ChatException {

    private static final long serialVersionUID = 1L;

    private final String roomName;

    public NotInRoomException(String roomName) {
        super(ErrorCode.NOT_IN_ROOM, "not in room '" + roomName + "': join it first");
        this.roomName = roomName;
    }

    public String roomName() {
        return roomName;
    }
}
