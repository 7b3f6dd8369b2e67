package io.fatechat.spi;

import java.util.List;
import java.util.Optional;

/** Chat rooms; names unique case-insensitively. Checked by {@code RoomStoreCompatibilityKit}. */
public interface RoomStore extends AutoCloseable {

    /**
     * Creates a room with a new id and the current time.
     *
     * @throws RoomExistsException when the name, compared case-insensitively, is taken; under concurrent
     *         calls with the same name exactly one succeeds
     */
    Room create(String name);

    /** The room called {@code name}, compared case-insensitively. */
    Optional<Room> findByName(String name);

    Optional<Room> findById(long id);

    /** Every room, oldest first. */
    List<Room> list();

    @Override
    default void close() {}
}
