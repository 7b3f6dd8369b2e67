package io.fatechat.core;

import java.util.List;
import java.util.Objects;

/**
 * Who is online in a room.
 *
 * @param room the room's canonical name (as created, whatever case the request used)
 * @param users the distinct users online in it, sorted
 */
public record OnlineUsers(String room, List<String> users) {

    public OnlineUsers {
        Objects.requireNonNull(room, "room");
        users = List.copyOf(users);
    }
}
