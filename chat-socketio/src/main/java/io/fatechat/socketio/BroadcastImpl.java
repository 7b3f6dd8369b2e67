package io.fatechat.socketio;

import java.util.HashSet;
import java.util.Set;

/** An immutable room selection; each {@link #to}/{@link #except} returns a new one. */
final class BroadcastImpl implements BroadcastOperator {

    private final NamespaceImpl ns;
    private final Set<String> to;
    private final Set<String> except;

    BroadcastImpl(NamespaceImpl ns, Set<String> to, Set<String> except) {
        this.ns = ns;
        this.to = to;
        this.except = except;
    }

    @Override
    public BroadcastOperator to(String room) {
        return new BroadcastImpl(ns, plus(to, room), except);
    }

    @Override
    public BroadcastOperator except(String room) {
        return new BroadcastImpl(ns, to, plus(except, room));
    }

    @Override
    public int emit(String event, Object... args) {
        return ns.broadcast(to, except, event, args);
    }

    private static Set<String> plus(Set<String> set, String value) {
        java.util.Objects.requireNonNull(value, "room");
        Set<String> copy = new HashSet<>(set);
        copy.add(value);
        return Set.copyOf(copy);
    }
}
