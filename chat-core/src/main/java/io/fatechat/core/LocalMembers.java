package io.fatechat.core;

import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationCursor;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The rooms of the users connected to this node, indexed both ways: per user its rooms, per room its members
 * connected here. An unread-count push reads the members of the recorded rooms from it, so its cost follows the
 * members connected here, not every connection of the node.
 *
 * <p>A user's rooms are read from the store once, on the pusher thread ({@link #loadArrivals}), after its first
 * connection here opened; membership events keep them current (those seen before the read are replayed after
 * it); the user is dropped when its last connection here closes. Private conversations need no index: their
 * members are in their id.
 */
final class LocalMembers {

    /** The most conversations read into the index for one user. */
    static final int MAX_LOADED_CONVERSATIONS = 1_000;

    private static final int PAGE = Conversations.MAX_PAGE;

    private final ConversationStore store;
    private final LocalConnections connections;
    /** users connected here -> their rooms; each entry is changed only inside {@code users.compute*}. */
    private final Map<String, Rooms> users = new ConcurrentHashMap<>();
    /** room -> its members connected here whose rooms are loaded. */
    private final Map<ConversationId, Set<String>> byRoom = new ConcurrentHashMap<>();
    /** Users whose rooms are still to be read. */
    private final Queue<String> arrivals = new ConcurrentLinkedQueue<>();

    /** One user's rooms: null until read, and the membership changes seen before. */
    private static final class Rooms {
        Set<ConversationId> loaded;
        final List<Change> early = new ArrayList<>();
    }

    private record Change(ConversationId room, boolean member) {}

    LocalMembers(ConversationStore store, LocalConnections connections) {
        this.store = store;
        this.connections = connections;
    }

    /** {@code user}'s first connection here opened or its last closed: index or drop it (any thread, no I/O). */
    void userArrivedOrLeft(String user) {
        users.compute(user, (u, rooms) -> {
            // the current truth, not the order of the calls: two threads' calls may arrive swapped
            if (connections.hasUser(u)) {
                if (rooms == null) {
                    arrivals.add(u);
                    return new Rooms();
                }
                return rooms;
            }
            if (rooms != null && rooms.loaded != null) {
                rooms.loaded.forEach(room -> unindex(u, room));
            }
            return null;
        });
    }

    /** A membership changed somewhere (bus thread, no I/O). */
    void membershipChanged(String user, ConversationId conversation, boolean member) {
        if (conversation.isDirect()) {
            return;
        }
        users.computeIfPresent(user, (u, rooms) -> {
            if (rooms.loaded == null) {
                rooms.early.add(new Change(conversation, member));
            } else {
                apply(u, rooms, new Change(conversation, member));
            }
            return rooms;
        });
    }

    /**
     * Reads the rooms of the users that arrived since the last call (pusher thread). A failed read leaves the
     * user for the next call.
     */
    void loadArrivals() {
        for (int pending = arrivals.size(); pending > 0; pending--) {
            String user = arrivals.poll();
            if (user == null) {
                return;
            }
            Rooms rooms = users.get(user);
            if (rooms == null || rooms.loaded != null) {
                continue;
            }
            Set<ConversationId> read;
            try {
                read = readRooms(user);
            } catch (RuntimeException e) {
                arrivals.add(user);
                throw e;
            }
            users.computeIfPresent(user, (u, current) -> {
                // only into the entry the read was for: a user who left and came back meanwhile is read again
                if (current == rooms && current.loaded == null) {
                    current.loaded = read;
                    read.forEach(room -> index(u, room));
                    current.early.forEach(change -> apply(u, current, change));
                    current.early.clear();
                }
                return current;
            });
        }
    }

    /** The members of {@code conversation} connected here (for a room: those whose rooms are loaded). */
    List<String> membersHere(ConversationId conversation) {
        if (conversation.isDirect()) {
            List<String> here = new ArrayList<>(2);
            for (String member : conversation.members()) {
                if (users.containsKey(member) && !here.contains(member)) {
                    here.add(member);
                }
            }
            return here;
        }
        Set<String> members = byRoom.get(conversation);
        return members == null ? List.of() : List.copyOf(members);
    }

    private Set<ConversationId> readRooms(String user) {
        Set<ConversationId> read = ConcurrentHashMap.newKeySet();
        ConversationCursor cursor = null;
        while (read.size() < MAX_LOADED_CONVERSATIONS) {
            List<Conversation> page = store.list(user, cursor, PAGE);
            for (Conversation c : page) {
                if (!c.id().isDirect()) {
                    read.add(c.id());
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            cursor = page.get(page.size() - 1).cursor();
        }
        return read;
    }

    /** Caller is inside {@code users.compute*} for {@code user}. */
    private void apply(String user, Rooms rooms, Change change) {
        if (change.member()) {
            if (rooms.loaded.add(change.room())) {
                index(user, change.room());
            }
        } else if (rooms.loaded.remove(change.room())) {
            unindex(user, change.room());
        }
    }

    private void index(String user, ConversationId room) {
        byRoom.compute(room, (r, members) -> {
            Set<String> set = members != null ? members : ConcurrentHashMap.newKeySet();
            set.add(user);
            return set;
        });
    }

    private void unindex(String user, ConversationId room) {
        byRoom.computeIfPresent(room, (r, members) -> {
            members.remove(user);
            return members.isEmpty() ? null : members;
        });
    }
}
