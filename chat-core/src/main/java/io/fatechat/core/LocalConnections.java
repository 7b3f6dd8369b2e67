package io.fatechat.core;

import io.fatechat.spi.ClosedException;
import io.fatechat.spi.InvalidInputException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** The connections open on this node, by id; hands out ids unique in the deployment. */
final class LocalConnections {

    /** What a connection id chosen by a transport may be: e.g. a Socket.IO socket id (base64url). */
    static final Pattern CHOSEN_ID = Pattern.compile("[A-Za-z0-9._:~+/=-]{1,128}");

    private final EngineContext context;
    private final String incarnation = randomBase36(6);
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, LocalConnection> byId = new ConcurrentHashMap<>();
    /** user -> how many of its connections are open here. */
    private final Map<String, Integer> openByUser = new ConcurrentHashMap<>();
    /** Told a user when its first connection here opens or its last one closes (it then asks {@link #hasUser}). */
    private volatile Consumer<String> userArrivedOrLeft = user -> {};

    LocalConnections(EngineContext context) {
        this.context = context;
    }

    /** A new id: node id, a random incarnation of this engine, a sequence number. */
    String newId() {
        return context.nodeId() + ":" + incarnation + ":" + Long.toString(sequence.incrementAndGet(), 36);
    }

    /** A transport's own id for a connection, checked; it must be unique in the deployment. */
    static String checkChosenId(String id) {
        if (id == null) {
            throw new InvalidInputException("connectionId", "is required");
        }
        if (!CHOSEN_ID.matcher(id).matches()) {
            throw new InvalidInputException(
                    "connectionId", "must be 1 to 128 letters, digits or any of . _ : ~ + / = -");
        }
        return id;
    }

    /** Registers an open connection; refuses an id already open here, and every connection once closed. */
    void add(LocalConnection connection) {
        if (byId.putIfAbsent(connection.id(), connection) != null) {
            throw new InvalidInputException("connectionId", "is already open on this node");
        }
        context.metrics().connectionsChanged(1);
        if (openByUser.merge(connection.user(), 1, Integer::sum) == 1) {
            userArrivedOrLeft.accept(connection.user());
        }
        if (context.isClosed() && remove(connection)) {
            throw new ClosedException("chat engine");
        }
    }

    /** Unregisters a connection; true when it was registered. */
    boolean remove(LocalConnection connection) {
        if (byId.remove(connection.id(), connection)) {
            context.metrics().connectionsChanged(-1);
            if (openByUser.computeIfPresent(connection.user(), (user, open) -> open == 1 ? null : open - 1) == null) {
                userArrivedOrLeft.accept(connection.user());
            }
            return true;
        }
        return false;
    }

    LocalConnection get(String id) {
        return byId.get(id);
    }

    /** Whether {@code user} has a connection open here. */
    boolean hasUser(String user) {
        return openByUser.containsKey(user);
    }

    /** Sets who is told of users arriving and leaving; the listener must not block. */
    void onUserArrivedOrLeft(Consumer<String> listener) {
        this.userArrivedOrLeft = listener;
    }

    int count() {
        return byId.size();
    }

    Collection<LocalConnection> all() {
        return List.copyOf(byId.values());
    }

    static String randomBase36(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(Character.forDigit(random.nextInt(36), 36));
        }
        return out.toString();
    }
}
