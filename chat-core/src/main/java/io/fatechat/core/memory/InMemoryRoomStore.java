package io.fatechat.core.memory;

import io.fatechat.spi.Room;
import io.fatechat.spi.RoomExistsException;
import io.fatechat.spi.RoomStore;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The in-process {@link RoomStore}; names unique case-insensitively, atomically; ids count up from 1. */
public final class InMemoryRoomStore implements RoomStore {

    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Room> byName = new ConcurrentHashMap<>();
    private final Map<Long, Room> byId = new ConcurrentHashMap<>();

    public InMemoryRoomStore() {
        this(Clock.systemUTC());
    }

    /** A store stamping rooms with {@code clock}'s time. */
    public InMemoryRoomStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Room create(String name) {
        Objects.requireNonNull(name, "name");
        boolean[] created = {false};
        // The id is taken inside computeIfAbsent so a losing racer consumes none.
        Room room = byName.computeIfAbsent(key(name), k -> {
            created[0] = true;
            Room fresh = new Room(ids.incrementAndGet(), name, clock.instant());
            byId.put(fresh.id(), fresh);
            return fresh;
        });
        if (!created[0]) {
            throw new RoomExistsException(name);
        }
        return room;
    }

    @Override
    public Optional<Room> findByName(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(byName.get(key(name)));
    }

    @Override
    public Optional<Room> findById(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public List<Room> list() {
        return byName.values().stream()
                .sorted(Comparator.comparingLong(Room::id))
                .toList();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
