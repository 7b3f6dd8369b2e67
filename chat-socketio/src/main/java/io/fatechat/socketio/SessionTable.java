package io.fatechat.socketio;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The open Engine.IO sessions of one server by id, and the ids: 120 random bits, URL-safe. */
final class SessionTable {

    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
    /** Open sessions per client address, for the per-address cap; an address leaves the map at zero. */
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    /**
     * A DRBG of its own rather than the platform default: on Linux that is NativePRNG, whose every call takes one
     * lock shared by the whole JVM, which the profile showed handshakes queueing on.
     */
    private final SecureRandom random = newRandom();

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** A new random id (sessions and sockets). */
    String newId() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Counts one more session of {@code address} unless it holds {@code max}; false when it does. */
    boolean reserve(String address, int max) {
        boolean[] ok = {false};
        perAddress.compute(address, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= max) {
                return n;
            }
            ok[0] = true;
            return count + 1;
        });
        return ok[0];
    }

    /** Gives back a session of {@code address} counted by {@link #reserve}. */
    void release(String address) {
        perAddress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Whether {@code address} holds {@code max} sessions already (a cheap check before the upgrade). */
    boolean full(String address, int max) {
        Integer n = perAddress.get(address);
        return n != null && n >= max;
    }

    void add(EngineSession c) {
        sessions.put(c.id, c);
    }

    EngineSession get(String id) {
        return sessions.get(id);
    }

    void remove(EngineSession c) {
        if (sessions.remove(c.id, c)) {
            release(c.clientAddress);
        }
    }

    int size() {
        return sessions.size();
    }

    List<EngineSession> snapshot() {
        return List.copyOf(sessions.values());
    }
}
