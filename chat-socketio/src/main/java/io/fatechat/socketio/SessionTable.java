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

    void add(EngineSession c) {
        sessions.put(c.id, c);
    }

    EngineSession get(String id) {
        return sessions.get(id);
    }

    void remove(EngineSession c) {
        sessions.remove(c.id, c);
    }

    int size() {
        return sessions.size();
    }

    List<EngineSession> snapshot() {
        return List.copyOf(sessions.values());
    }
}
