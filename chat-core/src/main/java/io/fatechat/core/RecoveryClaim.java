package io.fatechat.core;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.RecoverySession;
import java.util.List;

/**
 * The first half of a recoverable connection, decided while the client's CONNECT is authorized: the pid the CONNECT
 * answer carries. {@link #recovered()} says whether it is the pid the client sent (its session was found, is its
 * user's and within the window, and is now this claim's alone), which the client reads as {@code recovered}.
 * Pass it to {@link ChatEngine#openRecoverable} once the socket exists.
 */
public final class RecoveryClaim {

    private final String user;
    private final String pid;
    private final RecoverySession session;
    private final String clientOffset;
    private final List<ChatMessage> missed;

    RecoveryClaim(String user, String pid, RecoverySession session, String clientOffset, List<ChatMessage> missed) {
        this.user = user;
        this.pid = pid;
        this.session = session;
        this.clientOffset = clientOffset;
        this.missed = missed;
    }

    /** The authenticated user. */
    public String user() {
        return user;
    }

    /** The pid for the CONNECT answer, or null when recovery is off (the answer then carries none). */
    public String pid() {
        return pid;
    }

    /** Whether the client's session was found and taken: the answer repeats its pid. */
    public boolean recovered() {
        return session != null;
    }

    RecoverySession session() {
        return session;
    }

    String clientOffset() {
        return clientOffset;
    }

    /** What the client had missed when the claim was made: the replay if the one read after rejoining fails. */
    List<ChatMessage> missed() {
        return missed;
    }
}
