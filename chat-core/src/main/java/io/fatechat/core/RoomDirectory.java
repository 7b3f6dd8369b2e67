package io.fatechat.core;

import io.fatechat.core.internal.BoundedCache;
import io.fatechat.core.internal.FieldRules;
import io.fatechat.spi.Room;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.UnknownRoomException;
import java.util.List;

/** The rooms: creation, listing and look-up by name (case-insensitive) or id, cached (rooms never change). */
final class RoomDirectory {

    private static final int ROOM_CACHE_SIZE = 10_000;

    private final RoomStore rooms;
    private final BoundedCache<String, Room> byKey = new BoundedCache<>(ROOM_CACHE_SIZE);
    private final BoundedCache<Long, Room> byId = new BoundedCache<>(ROOM_CACHE_SIZE);

    RoomDirectory(RoomStore rooms) {
        this.rooms = rooms;
    }

    /** Creates a room with a validated, normalized name. */
    Room create(String normalizedName) {
        Room room = rooms.create(normalizedName);
        remember(room);
        return room;
    }

    List<Room> list() {
        return rooms.list();
    }

    /** The room named {@code normalizedName}, compared case-insensitively. */
    Room byName(String normalizedName) {
        String key = FieldRules.roomKey(normalizedName);
        Room room = byKey.get(key);
        if (room != null) {
            return room;
        }
        room = rooms.findByName(normalizedName).orElseThrow(() -> new UnknownRoomException(normalizedName));
        byKey.put(key, room);
        byId.put(room.id(), room);
        return room;
    }

    Room byId(long id) {
        Room room = byId.get(id);
        if (room != null) {
            return room;
        }
        if (id <= 0) {
            throw new UnknownRoomException(Long.toString(id));
        }
        room = rooms.findById(id).orElseThrow(() -> new UnknownRoomException(Long.toString(id)));
        remember(room);
        return room;
    }

    private void remember(Room room) {
        byKey.put(FieldRules.roomKey(room.name()), room);
        byId.put(room.id(), room);
    }
}
