package io.fatechat.socketio;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/** A Socket.IO namespace such as {@code /} or {@code /custom}. Thread-safe. */
public interface SocketIoNamespace {

    /** The name, starting with {@code /}. */
    String name();

    /** Adds a connect authorizer; they run in the order added and the first refusal wins. */
    SocketIoNamespace use(ConnectAuthorizer authorizer);

    /** Called for every socket that joined, after the CONNECT answer was queued; register event handlers here. */
    SocketIoNamespace onConnection(Consumer<SocketIoSocket> handler);

    /** A broadcast to {@code room}. */
    BroadcastOperator to(String room);

    /** A broadcast to every socket of the namespace except those in {@code room}. */
    BroadcastOperator except(String room);

    /** Sends {@code event} to every socket of the namespace, encoded once; returns the recipient count. */
    int emit(String event, Object... args);

    /** The connected sockets (a snapshot). */
    Collection<SocketIoSocket> sockets();

    /** The socket with id {@code id}, if connected here. */
    Optional<SocketIoSocket> socket(String id);
}
