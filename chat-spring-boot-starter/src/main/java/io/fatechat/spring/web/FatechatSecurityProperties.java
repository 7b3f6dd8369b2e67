package io.fatechat.spring.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits on hostile clients of the REST API ({@code fatechat.security.*}). Defaults are {@code ChatRestConfig}'s
 * ({@code FatechatRestAutoConfigurationTest} checks they agree). Browser origins are
 * {@code fatechat.socketio.allowed-origins}, one list for both endpoints.
 */
@ConfigurationProperties(prefix = "fatechat.security")
public class FatechatSecurityProperties {

    /** How long a client may take to send a REST request body; slower gets 408 and holds no thread meanwhile. */
    private Duration bodyTimeout = Duration.ofSeconds(10);

    /** Login and register attempts one client address may make per login-address-window; more get 429. */
    private int loginAttemptsPerAddress = 30;

    /** The window of login-attempts-per-address. */
    private Duration loginAddressWindow = Duration.ofMinutes(1);

    /** Login attempts one account may see per login-account-window (a successful login resets); more get 429. */
    private int loginAttemptsPerAccount = 10;

    /** The window of login-attempts-per-account. */
    private Duration loginAccountWindow = Duration.ofMinutes(15);

    /** Rooms one user may create per rooms-window through the REST API; more get 429. */
    private int roomsPerUser = 20;

    /** The window of rooms-per-user. */
    private Duration roomsWindow = Duration.ofHours(1);

    /** The most rooms one GET of the room list answers (the page size when no limit is given). */
    private int maxRoomPage = 1_000;

    public int getRoomsPerUser() {
        return roomsPerUser;
    }

    public void setRoomsPerUser(int roomsPerUser) {
        this.roomsPerUser = roomsPerUser;
    }

    public Duration getRoomsWindow() {
        return roomsWindow;
    }

    public void setRoomsWindow(Duration roomsWindow) {
        this.roomsWindow = roomsWindow;
    }

    public int getMaxRoomPage() {
        return maxRoomPage;
    }

    public void setMaxRoomPage(int maxRoomPage) {
        this.maxRoomPage = maxRoomPage;
    }

    public Duration getBodyTimeout() {
        return bodyTimeout;
    }

    public void setBodyTimeout(Duration bodyTimeout) {
        this.bodyTimeout = bodyTimeout;
    }

    public int getLoginAttemptsPerAddress() {
        return loginAttemptsPerAddress;
    }

    public void setLoginAttemptsPerAddress(int loginAttemptsPerAddress) {
        this.loginAttemptsPerAddress = loginAttemptsPerAddress;
    }

    public Duration getLoginAddressWindow() {
        return loginAddressWindow;
    }

    public void setLoginAddressWindow(Duration loginAddressWindow) {
        this.loginAddressWindow = loginAddressWindow;
    }

    public int getLoginAttemptsPerAccount() {
        return loginAttemptsPerAccount;
    }

    public void setLoginAttemptsPerAccount(int loginAttemptsPerAccount) {
        this.loginAttemptsPerAccount = loginAttemptsPerAccount;
    }

    public Duration getLoginAccountWindow() {
        return loginAccountWindow;
    }

    public void setLoginAccountWindow(Duration loginAccountWindow) {
        this.loginAccountWindow = loginAccountWindow;
    }
}
