package io.fatechat.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code fatechat.recovery.*} keys: Socket.IO connection state recovery (docs/protocol.md). Sessions are kept in
 * Redis when {@code fatechat.redis.url} is set, else in the JDBC store, else in memory (this node only).
 */
@ConfigurationProperties(prefix = "fatechat.recovery")
public class FatechatRecoveryProperties {

    /** Whether Socket.IO clients get a pid and can recover their session (rooms, missed messages) after a drop. */
    private boolean enabled = true;

    /** How long a dropped client stays recoverable, on any node (1 second to 7 days). */
    private Duration window = Duration.ofMinutes(2);

    /**
     * How long a dropped client's user stays online in its rooms before the rooms are told it left; a client back
     * within it shows no leave and join (0 to 1 minute, shorter than the window).
     */
    private Duration presenceGrace = Duration.ofSeconds(1);

    /** The most missed messages replayed to a recovering client; past it the client starts a fresh session. */
    private int maxReplay = 1000;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getWindow() {
        return window;
    }

    public void setWindow(Duration window) {
        this.window = window;
    }

    public Duration getPresenceGrace() {
        return presenceGrace;
    }

    public void setPresenceGrace(Duration presenceGrace) {
        this.presenceGrace = presenceGrace;
    }

    public int getMaxReplay() {
        return maxReplay;
    }

    public void setMaxReplay(int maxReplay) {
        this.maxReplay = maxReplay;
    }
}
