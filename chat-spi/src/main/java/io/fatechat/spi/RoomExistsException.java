package io.fatechat.spi;

/** A room with this name (compared case-insensitively) already exists. */
public class RoomExistsException extends ConflictException {

    private static final long serialVersionUID = 1L;

    private final String roomName;

    public RoomExistsException(String roomName) {
        super("room '" + roomName + "' already exists");
        this.roomName = roomName;
    }

    public String roomName() {
        return roomName;
    }
}
