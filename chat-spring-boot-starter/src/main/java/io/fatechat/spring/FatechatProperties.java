package io.fatechat.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every {@code fatechat.*} setting. Each key can also be given as an environment variable by relaxed binding,
 * e.g. {@code fatechat.kafka.bootstrap-servers} as {@code FATECHAT_KAFKA_BOOTSTRAP_SERVERS}.
 *
 * <p>Nothing set means the embedded default: in-memory bus, presence and stores, one node. Setting
 * {@code fatechat.kafka.bootstrap-servers}, {@code fatechat.redis.url} or {@code fatechat.jdbc.url} switches
 * that backend on; any subset may be set.
 */
@ConfigurationProperties(prefix = "fatechat")
public class FatechatProperties {

    /** This node's id, unique in the deployment (letters, digits, '.', '_', '-'); random when unset. */
    private String nodeId;

    /** Authentication settings. */
    private final Auth auth = new Auth();

    /** Limits the engine enforces. */
    private final Limits limits = new Limits();

    /** The presence lease of this node: its users drop out of every room this long after the node dies. */
    private Duration presenceLeaseTtl = Duration.ofSeconds(30);

    /** The Socket.IO endpoint. */
    private final SocketIo socketio = new SocketIo();

    /** The REST API. */
    private final Rest rest = new Rest();

    /** Kafka message bus (chat-kafka on the class path). */
    private final Kafka kafka = new Kafka();

    /** Redis presence store and recent-message cache (chat-redis on the class path). */
    private final Redis redis = new Redis();

    /** JDBC stores for users, rooms and history (chat-mysql on the class path). */
    private final Jdbc jdbc = new Jdbc();

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public Auth getAuth() {
        return auth;
    }

    public Limits getLimits() {
        return limits;
    }

    public Duration getPresenceLeaseTtl() {
        return presenceLeaseTtl;
    }

    public void setPresenceLeaseTtl(Duration presenceLeaseTtl) {
        this.presenceLeaseTtl = presenceLeaseTtl;
    }

    public SocketIo getSocketio() {
        return socketio;
    }

    public Rest getRest() {
        return rest;
    }

    public Kafka getKafka() {
        return kafka;
    }

    public Redis getRedis() {
        return redis;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    /** Tokens and password hashing. */
    public static class Auth {

        /**
         * HMAC secret that signs tokens, at least 32 bytes (UTF-8). Every node of a deployment needs the same
         * one; when unset each start picks a random secret, so tokens do not survive a restart.
         */
        private String tokenSecret;

        /** How long a token issued at register or login stays valid. */
        private Duration tokenTtl = Duration.ofHours(24);

        /** bcrypt cost of password hashes (10 is OWASP's minimum; lower only in tests). */
        private int bcryptCost = 10;

        public String getTokenSecret() {
            return tokenSecret;
        }

        public void setTokenSecret(String tokenSecret) {
            this.tokenSecret = tokenSecret;
        }

        public Duration getTokenTtl() {
            return tokenTtl;
        }

        public void setTokenTtl(Duration tokenTtl) {
            this.tokenTtl = tokenTtl;
        }

        public int getBcryptCost() {
            return bcryptCost;
        }

        public void setBcryptCost(int bcryptCost) {
            this.bcryptCost = bcryptCost;
        }
    }

    /** Engine limits; see {@code io.fatechat.core.ChatLimits}. */
    public static class Limits {

        /** Longest message text, in characters. */
        private int maxMessageLength = 2_000;

        /** Longest room name, in characters (at most 191). */
        private int maxRoomNameLength = 64;

        /** Sustained messages per second per user on one node. */
        private int messagesPerSecond = 10;

        /** Messages a user may send at once before the rate applies (at least messages-per-second). */
        private int messageBurst = 20;

        /** Rooms one connection may be in at once. */
        private int maxRoomsPerConnection = 50;

        /** The most messages one recent-messages or history request returns. */
        private int maxRecentMessages = 100;

        public int getMaxMessageLength() {
            return maxMessageLength;
        }

        public void setMaxMessageLength(int maxMessageLength) {
            this.maxMessageLength = maxMessageLength;
        }

        public int getMaxRoomNameLength() {
            return maxRoomNameLength;
        }

        public void setMaxRoomNameLength(int maxRoomNameLength) {
            this.maxRoomNameLength = maxRoomNameLength;
        }

        public int getMessagesPerSecond() {
            return messagesPerSecond;
        }

        public void setMessagesPerSecond(int messagesPerSecond) {
            this.messagesPerSecond = messagesPerSecond;
        }

        public int getMessageBurst() {
            return messageBurst;
        }

        public void setMessageBurst(int messageBurst) {
            this.messageBurst = messageBurst;
        }

        public int getMaxRoomsPerConnection() {
            return maxRoomsPerConnection;
        }

        public void setMaxRoomsPerConnection(int maxRoomsPerConnection) {
            this.maxRoomsPerConnection = maxRoomsPerConnection;
        }

        public int getMaxRecentMessages() {
            return maxRecentMessages;
        }

        public void setMaxRecentMessages(int maxRecentMessages) {
            this.maxRecentMessages = maxRecentMessages;
        }
    }

    /** The Socket.IO endpoint (WebSocket and HTTP long-polling). */
    public static class SocketIo {

        /** Whether to register the Socket.IO endpoint in the servlet container. */
        private boolean enabled = true;

        /** URL path of the endpoint. */
        private String path = "/socket.io/";

        /** How often the server pings each client. */
        private Duration pingInterval = Duration.ofSeconds(25);

        /** How long the server waits for a pong before it closes the connection. */
        private Duration pingTimeout = Duration.ofSeconds(20);

        /** Largest accepted WebSocket message or polling request body, in bytes. */
        private int maxPayload = 1_000_000;

        /** How long a new connection may stay without joining a namespace. */
        private Duration connectTimeout = Duration.ofSeconds(45);

        /**
         * Browser origins allowed to connect (scheme://host[:port]); empty means same origin only, "*" allows
         * every origin. Clients that send no Origin header are always allowed.
         */
        private List<String> allowedOrigins = new ArrayList<>();

        /** Outbound packets queued for one client before it is disconnected as a slow consumer. */
        private int maxQueuedPackets = 4096;

        /** Outbound bytes queued for one client before it is disconnected as a slow consumer. */
        private long maxQueuedBytes = 8388608L;

        /** Threads that run event handlers; 0 picks twice the processors, at least 4. */
        private int workerThreads = 0;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
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

        public int getMaxPayload() {
            return maxPayload;
        }

        public void setMaxPayload(int maxPayload) {
            this.maxPayload = maxPayload;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
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

        public long getMaxQueuedBytes() {
            return maxQueuedBytes;
        }

        public void setMaxQueuedBytes(long maxQueuedBytes) {
            this.maxQueuedBytes = maxQueuedBytes;
        }

        public int getWorkerThreads() {
            return workerThreads;
        }

        public void setWorkerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
        }
    }

    /** The REST API of register, login, rooms and history. */
    public static class Rest {

        /** Whether to serve the REST API. */
        private boolean enabled = true;

        /** URL path under which the API is served. */
        private String path = "/api";

        /** Largest accepted request body, in bytes; larger gets 413. */
        private int maxBodySize = 65536;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public int getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(int maxBodySize) {
            this.maxBodySize = maxBodySize;
        }
    }

    /** Kafka message bus. */
    public static class Kafka {

        /** Kafka bootstrap servers (host:port[,host:port...]); setting it switches the message bus to Kafka. */
        private String bootstrapServers;

        /** Topic of room and private messages. */
        private String messagesTopic = "chat-messages";

        /** Topic of presence and typing events. */
        private String eventsTopic = "chat-events";

        /** Partitions of topics the bus creates (existing topics are left as they are). */
        private int partitions = 6;

        /** Replication factor of topics the bus creates; unset means the broker's default. */
        private Integer replicationFactor;

        /** How long a publish may take before the send fails as unavailable. */
        private Duration publishTimeout = Duration.ofSeconds(10);

        public String getBootstrapServers() {
            return bootstrapServers;
        }

        public void setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public String getMessagesTopic() {
            return messagesTopic;
        }

        public void setMessagesTopic(String messagesTopic) {
            this.messagesTopic = messagesTopic;
        }

        public String getEventsTopic() {
            return eventsTopic;
        }

        public void setEventsTopic(String eventsTopic) {
            this.eventsTopic = eventsTopic;
        }

        public int getPartitions() {
            return partitions;
        }

        public void setPartitions(int partitions) {
            this.partitions = partitions;
        }

        public Integer getReplicationFactor() {
            return replicationFactor;
        }

        public void setReplicationFactor(Integer replicationFactor) {
            this.replicationFactor = replicationFactor;
        }

        public Duration getPublishTimeout() {
            return publishTimeout;
        }

        public void setPublishTimeout(Duration publishTimeout) {
            this.publishTimeout = publishTimeout;
        }
    }

    /** Redis presence store and recent-message cache. */
    public static class Redis {

        /** Redis URI (redis://[:password@]host:port[/db] or rediss://...); setting it switches presence to Redis. */
        private String url;

        /** Prefix of every key written. */
        private String keyPrefix = "fatechat:";

        /** How long one Redis command may take. */
        private Duration commandTimeout = Duration.ofSeconds(2);

        /** Whether to keep the newest messages of each conversation in Redis in front of the history store. */
        private boolean recentCache = true;

        /** How many of the newest messages the cache keeps per conversation. */
        private int recentCacheSize = 100;

        /** How long a conversation's cache lives after its last write. */
        private Duration recentCacheTtl = Duration.ofDays(1);

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }

        public boolean isRecentCache() {
            return recentCache;
        }

        public void setRecentCache(boolean recentCache) {
            this.recentCache = recentCache;
        }

        public int getRecentCacheSize() {
            return recentCacheSize;
        }

        public void setRecentCacheSize(int recentCacheSize) {
            this.recentCacheSize = recentCacheSize;
        }

        public Duration getRecentCacheTtl() {
            return recentCacheTtl;
        }

        public void setRecentCacheTtl(Duration recentCacheTtl) {
            this.recentCacheTtl = recentCacheTtl;
        }
    }

    /** JDBC stores (MySQL 8, MariaDB 10.6+, or H2 in MySQL mode). */
    public static class Jdbc {

        /**
         * JDBC URL of the database for users, rooms and history, e.g. jdbc:mysql://db:3306/fatechat or
         * jdbc:h2:file:./data/fatechat;MODE=MySQL;DATABASE_TO_LOWER=TRUE; setting it switches the stores to JDBC.
         */
        private String url;

        /** Database user; unset leaves it to the URL. */
        private String username;

        /** Database password. */
        private String password;

        /** Connections in the pool (2 to 1000). */
        private int maximumPoolSize = 10;

        /** How long a call waits for a pooled connection while the database is down (250ms to 60s). */
        private Duration connectionTimeout = Duration.ofSeconds(2);

        /** Prefix of every table name. */
        private String tablePrefix = "fatechat_";

        /** Whether to create and migrate the schema at start; when false it is only checked. */
        private boolean migrateSchema = true;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public int getMaximumPoolSize() {
            return maximumPoolSize;
        }

        public void setMaximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
        }

        public Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public boolean isMigrateSchema() {
            return migrateSchema;
        }

        public void setMigrateSchema(boolean migrateSchema) {
            this.migrateSchema = migrateSchema;
        }
    }
}
