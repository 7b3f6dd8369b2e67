package io.fatechat.spring.socketio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The Socket.IO endpoint, WebSocket and HTTP long-polling ({@code fatechat.socketio.*}). Defaults are
 * {@code SocketIoConfig}'s, which follow the Node.js server ({@code FatechatSocketIoAutoConfigurationTest} checks
 * they agree).
 */
@ConfigurationProperties(prefix = "fatechat.socketio")
public class FatechatSocketIoProperties {

    /** Whether to register the Socket.IO endpoint in the servlet container. */
    private boolean enabled = true;

    /**
     * Whether to serve the Socket.IO browser client under the endpoint's path (socket.io.js, socket.io.min.js and
     * their source maps), as Node's server does.
     */
    private boolean serveClient = true;

    /** URL path of the endpoint. */
    private String path = "/socket.io/";

    /** How often the server pings each client. */
    private Duration pingInterval = Duration.ofSeconds(25);

    /** How long the server waits for a pong before it closes the connection. */
    private Duration pingTimeout = Duration.ofSeconds(20);

    /** Largest accepted WebSocket message or polling request body (bytes unless a unit is given: 1MB, 512KB). */
    private DataSize maxPayload = DataSize.ofBytes(1_000_000);

    /** How long a new connection may stay without joining a namespace. */
    private Duration connectTimeout = Duration.ofSeconds(45);

    /** How long a polling-to-WebSocket upgrade may take between the probe and the upgrade packet. */
    private Duration upgradeTimeout = Duration.ofSeconds(10);

    /**
     * Browser origins allowed to connect (scheme://host[:port]); empty means same origin only (the request's own
     * scheme, host and port), "*" allows every origin. Clients that send no Origin header are always allowed.
     */
    private List<String> allowedOrigins = new ArrayList<>();

    /** Outbound packets queued for one client before it is disconnected as a slow consumer. */
    private int maxQueuedPackets = 4096;

    /** Outbound bytes queued for one client before it is disconnected as a slow consumer (bytes unless a unit is given). */
    private DataSize maxQueuedBytes = DataSize.ofMegabytes(8);

    /** Inbound packets of one client waiting for a worker before the client is disconnected. */
    private int maxInboundQueue = 1024;

    /** Binary attachments one Socket.IO packet may carry. */
    private int maxAttachments = 10;

    /** Open Socket.IO connections one client address may hold; one more handshake gets HTTP 429. */
    private int maxConnectionsPerAddress = 200;

    /**
     * How often a parked long-poll writes a noop packet to find out whether its client is still there (0 = never).
     * The servlet containers do not report a client that closed its connection while its poll waits; a failing
     * write does, so a vanished polling client goes offline within about two intervals, not at the ping timeout.
     */
    private Duration pollProbeInterval = Duration.ofMillis(500);

    /**
     * Proxies (IP addresses or CIDR blocks, e.g. 10.0.0.0/8) whose X-Forwarded-For is believed; empty trusts none.
     * A request from one of them counts as the right-most X-Forwarded-For hop that is not a trusted proxy: that
     * address is the one log lines name and max-connections-per-address counts. Behind a proxy, set it (or raise
     * max-connections-per-address): otherwise every client counts as the proxy's address.
     */
    private List<String> trustedProxies = new ArrayList<>();

    /** Threads that run event handlers; 0 picks twice the processors, at least 4. */
    private int workerThreads = 0;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isServeClient() {
        return serveClient;
    }

    public void setServeClient(boolean serveClient) {
        this.serveClient = serveClient;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Duration getPingInterval() {
        return pingInterval;
    }

    public void setPingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
    }

    public Duration getPingTimeout() {
        return pingTimeout;
    }

    public void setPingTimeout(Duration pingTimeout) {
        this.pingTimeout = pingTimeout;
    }

    public DataSize getMaxPayload() {
        return maxPayload;
    }

    public void setMaxPayload(DataSize maxPayload) {
        this.maxPayload = maxPayload;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getUpgradeTimeout() {
        return upgradeTimeout;
    }

    public void setUpgradeTimeout(Duration upgradeTimeout) {
        this.upgradeTimeout = upgradeTimeout;
    }

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public int getMaxQueuedPackets() {
        return maxQueuedPackets;
    }

    public void setMaxQueuedPackets(int maxQueuedPackets) {
        this.maxQueuedPackets = maxQueuedPackets;
    }

    public DataSize getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    public int getMaxInboundQueue() {
        return maxInboundQueue;
    }

    public void setMaxInboundQueue(int maxInboundQueue) {
        this.maxInboundQueue = maxInboundQueue;
    }

    public int getMaxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    public Duration getPollProbeInterval() {
        return pollProbeInterval;
    }

    public void setPollProbeInterval(Duration pollProbeInterval) {
        this.pollProbeInterval = pollProbeInterval;
    }

    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public int getMaxAttachments() {
        return maxAttachments;
    }

    public void setMaxAttachments(int maxAttachments) {
        this.maxAttachments = maxAttachments;
    }

    public int getWorkerThreads() {
        return workerThreads;
    }

    public void setWorkerThreads(int workerThreads) {
        this.workerThreads = workerThreads;
    }
}
