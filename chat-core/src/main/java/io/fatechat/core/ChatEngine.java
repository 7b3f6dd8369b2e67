package io.fatechat.core;

import io.fatechat.core.internal.FieldRules;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.RecoverySessionStore;
import io.fatechat.spi.Room;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.UserStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat: accounts, rooms, messages, presence. Holds every rule and limit and knows no transport.
 *
 * <p>Build one per node with {@link #builder()}; every SPI defaults to its in-memory implementation. A
 * transport {@linkplain #attach attaches} a {@link ChatEventSink} to receive what its clients must see, and
 * opens one {@link ChatConnection} per authenticated client with {@link #connect}.
 *
 * <p>Refusals are {@link io.fatechat.spi.ChatException} subclasses with messages safe to show clients.
 *
 * <p>Rules (see also {@link ChatLimits}):
 * <ul>
 *   <li>e-mails are trimmed and lower-cased; at most 254 characters, 64 before the {@code @}; a dot-atom
 *       local part and a host name of letters, digits and hyphens (IDNs as punycode);</li>
 *   <li>passwords are 8 to 72 UTF-8 bytes (bcrypt's limit), hashed with bcrypt {@code $2b$}, cost 10 by
 *       default; a failed login never says whether the e-mail is known;</li>
 *   <li>tokens are HS256 JWTs (issuer {@code fatechat}, subject the e-mail), valid 24 hours by default;</li>
 *   <li>room names are NFC-normalized and trimmed, 1 to {@link ChatLimits#maxRoomNameLength()} characters
 *       (code points), without control, line-separator, private-use, unassigned or direction-override
 *       characters, and unique case-insensitively;</li>
 *   <li>a message is 1 to {@link ChatLimits#maxMessageLength()} characters (code points) and not blank;
 *       a client id is at most 64 characters without control characters;</li>
 *   <li>a user may send a private message to themself (a note to self);</li>
 *   <li>join and leave event messages ("alice@example.com joined the room") are sent when the user's first
 *       connection (on any node) joins a room and when their last connection leaves it (closing a connection
 *       leaves its rooms); they travel and are stored like other messages, with {@code event = true};</li>
 *   <li>reading recent messages or history needs no membership (rooms are public); sending and typing do;</li>
 *   <li>message times are kept to the millisecond; ids are UUIDv7 strings, ordered by time;</li>
 *   <li>a client id is unique per sender and conversation: a re-send to the same room or user returns the
 *       first message's id and time, found in a window of the 65,536 newest client ids this node sent or saw,
 *       else in the history store (with {@link AckPoint#BUS} only if it answers within 250 ms, and not for 5
 *       seconds after it did not: a hung database must not hold acks); the same id in another conversation is a
 *       new message (stores keep client ids scoped to their conversation);</li>
 *   <li>typing indicators beyond the message rate of a connection are dropped silently;</li>
 *   <li>a send is acked at the {@link AckPoint}: when the bus has it (Kafka), or once the history store has
 *       committed it (the in-memory bus, which a crash would empty);</li>
 *   <li>joining a room makes the user a member until they leave it (closing connections does not); a private
 *       conversation has both users as members from its first message; only members mark a conversation read,
 *       and listing and marking count against the user's message rate.</li>
 * </ul>
 *
 * <p>Thread-safe; connection methods may be called concurrently from worker threads. Calls may do store
 * I/O, so transports call them off their I/O threads. Sinks are called on bus threads.
 */
public final class ChatEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatEngine.class);

    /** The shared-subscription group that persists messages: one member per node, one node per message. */
    public static final String PERSISTER_GROUP = "fatechat-persister";
    /** Default token lifetime. */
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(24);
    /** Default bcrypt cost: OWASP's minimum for bcrypt. */
    public static final int DEFAULT_BCRYPT_COST = 10;
    /** Default presence lease; the node renews it every third of it. */
    public static final Duration DEFAULT_PRESENCE_LEASE_TTL = Duration.ofSeconds(30);
    /** Shortest token secret, in bytes (256 bits). */
    public static final int MIN_TOKEN_SECRET_BYTES = 32;

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final EngineContext context;
    private final EngineRuntime runtime;
    private final Accounts accounts;
    private final RoomDirectory rooms;
    private final Sessions sessions;
    private final Conversations conversations;
    private final HistoryStore history;

    private ChatEngine(Builder b) {
        this.runtime = new EngineRuntime(b);
        this.context = runtime.context;
        this.accounts = runtime.accounts;
        this.rooms = runtime.rooms;
        this.sessions = runtime.sessions;
        this.conversations = runtime.conversations;
        this.history = runtime.history;
        log.info("Chat engine started: node {}, ack point {}, limits {}", context.nodeId(), runtime.ackPoint, b.limits);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This node's id, unique in the deployment. */
    public String nodeId() {
        return context.nodeId();
    }

    public ChatLimits limits() {
        return context.limits();
    }

    /** When this node acks a send: {@link AckPoint#BUS} or {@link AckPoint#HISTORY}, never AUTO. */
    public AckPoint ackPoint() {
        return runtime.ackPoint;
    }

    /**
     * Registers a user and returns a signed token for them.
     *
     * @throws io.fatechat.spi.InvalidInputException for a malformed e-mail or a too short or too long password
     * @throws io.fatechat.spi.EmailTakenException when the e-mail is registered already
     */
    public String register(String email, String password) {
        return context.guard(() -> accounts.register(email, password));
    }

    /**
     * Checks the credentials and returns a new signed token.
     *
     * @throws io.fatechat.spi.InvalidCredentialsException for an unknown e-mail or a wrong password
     * @throws io.fatechat.spi.InvalidInputException when the e-mail or the password is missing or empty
     */
    public String login(String email, String password) {
        return context.guard(() -> accounts.login(email, password));
    }

    /**
     * Returns a new signed token for a registered user without asking for their password, for hosts that
     * authenticate users themselves (single sign-on, a load generator). Never call it for an e-mail a client merely claims.
     *
     * @throws io.fatechat.spi.UnknownUserException when the e-mail is not registered
     * @throws io.fatechat.spi.InvalidInputException for a malformed e-mail
     */
    public String issueToken(String email) {
        return context.guard(() -> accounts.issueToken(email));
    }

    /**
     * Verifies a token and returns the e-mail of its user: signed by this deployment (current or a previous
     * secret), not expired, not revoked, and of a registered user (cached). The token must not carry a
     * {@code Bearer } prefix: transports strip it (chat-jakarta-ws reads the {@code Authorization} header in one
     * place for REST and Socket.IO).
     *
     * @throws io.fatechat.spi.InvalidTokenException when missing, expired, malformed or forged
     */
    public String authenticate(String token) {
        return context.guard(() -> accounts.authenticate(token).subject());
    }

    /**
     * Logs the token's user out everywhere: every token of theirs issued until now stops verifying and their open
     * connections are closed, on this node at once and on the others through the bus.
     *
     * @throws io.fatechat.spi.InvalidTokenException when the token itself does not verify
     */
    public void logout(String token) {
        context.guardRun(() -> {
            context.ensureOpen();
            sessions.revoke(authenticate(token));
        });
    }

    /**
     * Ends every session of {@code user} on every node (e.g. after a password change or a ban): their tokens
     * issued until now stop verifying and their open connections are closed. The stage completes once the bus
     * has the revocation; this node applied it already.
     */
    public CompletionStage<Void> revokeSessions(String user) {
        return context.guard(() -> {
            String email = FieldRules.email("user", user);
            context.ensureOpen();
            return sessions.revoke(email);
        });
    }

    /**
     * Creates a room.
     *
     * @throws io.fatechat.spi.RoomExistsException when a room of that name exists
     * @throws io.fatechat.spi.InvalidInputException when the name is not a valid room name
     */
    public Room createRoom(String user, String name) {
        return context.guard(() -> {
            FieldRules.nonEmpty("user", user);
            String roomName = FieldRules.roomName("name", name, context.limits().maxRoomNameLength());
            context.ensureOpen();
            Room room = rooms.create(roomName);
            log.debug("Room '{}' created by {}", room.name(), user);
            return room;
        });
    }

    /** Every room, oldest first. */
    public List<Room> rooms() {
        return context.guard(() -> {
            context.ensureOpen();
            return rooms.list();
        });
    }

    /**
     * The room with this id.
     *
     * @throws io.fatechat.spi.UnknownRoomException when there is none
     */
    public Room room(long id) {
        return context.guard(() -> {
            context.ensureOpen();
            return rooms.byId(id);
        });
    }

    /**
     * A page of a room's history, newest first; {@code beforeId} null for the newest page, else the id of
     * the oldest message of the previous page. {@code limit} is clamped to 1..{@link ChatLimits#maxRecentMessages()}.
     *
     * @throws io.fatechat.spi.UnknownRoomException for an unknown room id
     * @throws io.fatechat.spi.InvalidInputException ({@code before}) when {@code beforeId} is not a message id
     */
    public List<ChatMessage> roomHistory(String user, long roomId, String beforeId, int limit) {
        return context.guard(() -> {
            FieldRules.nonEmpty("user", user);
            String before = FieldRules.messageId("before", beforeId);
            context.ensureOpen();
            Room room = rooms.byId(roomId);
            return history.page(room.conversation(), before, context.clampCount(limit));
        });
    }

    /**
     * A page of {@code user}'s private conversation with {@code otherUser}, newest first. Only its two members
     * can read it: the conversation is always the caller's own.
     *
     * @throws io.fatechat.spi.InvalidInputException ({@code email}) for a malformed other user
     * @throws io.fatechat.spi.UnknownUserException when the other user is not registered
     */
    public List<ChatMessage> privateHistory(String user, String otherUser, String beforeId, int limit) {
        return context.guard(() -> {
            String me = FieldRules.email("user", user);
            String other = FieldRules.email("email", otherUser);
            String before = FieldRules.messageId("before", beforeId);
            context.ensureOpen();
            accounts.ensureExists(other);
            return history.page(ConversationId.direct(me, other), before, context.clampCount(limit));
        });
    }

    /** Opens a connection for an authenticated user (an e-mail as returned by {@link #authenticate}). */
    public ChatConnection connect(String user) {
        return context.guard(() -> runtime.open(FieldRules.email("user", user), null));
    }

    /**
     * Opens a connection under an id the transport chose, e.g. its Socket.IO socket id, so that the
     * {@code originConnectionId} of {@link ChatEventSink#typing} is the transport's own id. The id must be
     * unique in the deployment: 1 to 128 letters, digits or any of {@code . _ : ~ + / = -}.
     *
     * @throws io.fatechat.spi.InvalidInputException ({@code connectionId}) for a malformed id or one already
     *         open on this node
     */
    public ChatConnection connect(String user, String connectionId) {
        return context.guard(() -> {
            String email = FieldRules.email("user", user);
            return runtime.open(email, LocalConnections.checkChosenId(connectionId));
        });
    }

    /** Whether connections are offered Socket.IO connection state recovery ({@link Builder#recovery}). */
    public boolean recoveryEnabled() {
        return runtime.recovery.enabled();
    }

    /**
     * Connection state recovery, first half, while a client's CONNECT is authorized: takes the session of the
     * client's {@code pid} (null or empty for a first connect) if it is {@code user}'s and within the window, so that
     * no other node restores it, and decides the pid of the CONNECT answer. {@code offset} is the client's offset
     * (the last one it received; null if none or malformed: the session's own start then).
     */
    public RecoveryClaim claimRecovery(String user, String pid, String offset) {
        return context.guard(() -> {
            context.ensureOpen();
            return runtime.recovery.claim(FieldRules.email("user", user), pid, offset);
        });
    }

    /**
     * Connection state recovery, second half, once the socket exists: opens its connection (with {@code
     * connectionId} as in {@link #connect(String, String)}, or a new id when null) and, for a recovered claim,
     * joins its rooms again ({@code beforeAnnounce} as in {@link ChatConnection#joinRoom(String, Consumer)}) and
     * reads what the client missed.
     */
    public RecoverableSession openRecoverable(
            RecoveryClaim claim, String connectionId, Consumer<String> beforeAnnounce) {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(beforeAnnounce, "beforeAnnounce");
        return context.guard(() -> {
            context.ensureOpen();
            return runtime.recovery.open(
                    claim, connectionId == null ? null : LocalConnections.checkChosenId(connectionId), beforeAnnounce);
        });
    }

    /**
     * A page of {@code user}'s conversations (rooms joined, private conversations with a message), newest
     * activity first, each with its last message, the user's unread count and read marker.
     *
     * @param after the {@link ConversationPage#next()} of the previous page, or null for the first
     * @param limit clamped to 1..100
     * @throws io.fatechat.spi.InvalidInputException ({@code after}) for a cursor this server did not hand out
     * @throws io.fatechat.spi.RateLimitedException beyond the user's request rate
     */
    public ConversationPage conversations(String user, String after, int limit) {
        return context.guard(() -> {
            context.ensureOpen();
            return conversations.page(user, after, limit);
        });
    }

    /**
     * Marks {@code user}'s conversation read up to {@code messageId}, named by exactly one of {@code roomName}
     * and {@code with} (the other user of a private conversation). A marker never moves back. The user's
     * connections get the new unread count, the other members' connections {@code messageRead}, on every node.
     *
     * @return the user's view of the conversation afterwards
     * @throws io.fatechat.spi.NotMemberException when the user is not a member
     * @throws io.fatechat.spi.UnknownRoomException for an unknown room
     * @throws io.fatechat.spi.InvalidInputException for a malformed name, e-mail or message id
     * @throws io.fatechat.spi.RateLimitedException beyond the user's request rate
     */
    public Conversation markRead(String user, String roomName, String with, String messageId) {
        return context.guard(() -> {
            context.ensureOpen();
            return conversations.markRead(user, conversations.named(user, roomName, with), messageId);
        });
    }

    /**
     * Like {@link #markRead(String, String, String, String)}, the conversation named by its id: the
     * {@link ConversationId#key()} a conversation list carries.
     *
     * @throws io.fatechat.spi.InvalidInputException ({@code id}) for a malformed id
     */
    public Conversation markRead(String user, String conversationId, String messageId) {
        return context.guard(() -> {
            context.ensureOpen();
            return conversations.markRead(user, conversations.byId(user, conversationId), messageId);
        });
    }

    /**
     * Who has read the conversation how far (the members' read markers, furthest first, at most 100), named like
     * {@link #markRead(String, String, String, String)}; for "seen by" when a client opens a conversation.
     *
     * @throws io.fatechat.spi.NotMemberException when the user is not a member
     */
    public List<io.fatechat.spi.ReadMarker> readMarkers(String user, String roomName, String with) {
        return context.guard(() -> {
            context.ensureOpen();
            return conversations.readMarkers(user, conversations.named(user, roomName, with));
        });
    }

    /** Adds a sink for this node's deliveries; closing the returned handle removes it. */
    public AutoCloseable attach(ChatEventSink sink) {
        return runtime.delivery.attach(sink);
    }

    /** The connections currently open on this node. */
    public int connectionCount() {
        return runtime.connections.count();
    }

    /**
     * Stops subscriptions and the lease, removes this node's presence (telling the other nodes' clients),
     * closes the SPIs it created itself. Open connections are closed without leave event messages.
     * Idempotent.
     */
    @Override
    public void close() {
        if (runtime.close()) {
            log.info("Chat engine of node {} closed", context.nodeId());
        }
    }

    // ---------------------------------------------------------------- builder

    /** Builds a {@link ChatEngine}. Every setter validates its argument and names it in the error. */
    public static final class Builder {
        // Read by EngineRuntime, which wires the engine from them.
        String nodeId;
        MessageBus messageBus;
        PresenceStore presenceStore;
        HistoryStore historyStore;
        UserStore userStore;
        RoomStore roomStore;
        ConversationStore conversationStore;
        ChatLimits limits = ChatLimits.DEFAULTS;
        byte[] tokenSecret;
        Duration tokenTtl = DEFAULT_TOKEN_TTL;
        List<byte[]> previousTokenSecrets = List.of();
        int bcryptCost = DEFAULT_BCRYPT_COST;
        int userCacheCapacity = Accounts.USER_CACHE_SIZE;
        Duration unreadPushInterval = Conversations.UNREAD_PUSH_INTERVAL;
        Duration presenceLeaseTtl = DEFAULT_PRESENCE_LEASE_TTL;
        ChatMetrics metrics = ChatMetrics.NONE;
        Clock clock = Clock.systemUTC();
        boolean persistHistory = true;
        AckPoint ackPoint = AckPoint.AUTO;
        GroupCommit groupCommit = GroupCommit.DEFAULTS;
        RecoveryOptions recovery = RecoveryOptions.DISABLED;
        RecoverySessionStore recoverySessionStore;

        private Builder() {}

        /** How many users (and their revocation instants) a node caches; tests shrink it to prove misses. */
        Builder userCacheCapacity(int capacity) {
            this.userCacheCapacity = capacity;
            return this;
        }

        /** How long a node waits between two pushes of unread counts; tests lengthen it to see the pacing. */
        Builder unreadPushInterval(Duration interval) {
            this.unreadPushInterval = interval;
            return this;
        }

        /** 1 to 64 letters, digits, '.', '_' or '-', unique in the deployment; random by default. */
        public Builder nodeId(String nodeId) {
            if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
                throw new IllegalArgumentException("nodeId must be 1 to 64 letters, digits, '.', '_' or '-', was "
                        + (nodeId == null ? "null" : "'" + nodeId + "'"));
            }
            this.nodeId = nodeId;
            return this;
        }

        public Builder messageBus(MessageBus bus) {
            this.messageBus = Objects.requireNonNull(bus, "messageBus must not be null");
            return this;
        }

        public Builder presenceStore(PresenceStore store) {
            this.presenceStore = Objects.requireNonNull(store, "presenceStore must not be null");
            return this;
        }

        public Builder historyStore(HistoryStore store) {
            this.historyStore = Objects.requireNonNull(store, "historyStore must not be null");
            return this;
        }

        public Builder userStore(UserStore store) {
            this.userStore = Objects.requireNonNull(store, "userStore must not be null");
            return this;
        }

        public Builder roomStore(RoomStore store) {
            this.roomStore = Objects.requireNonNull(store, "roomStore must not be null");
            return this;
        }

        /** Membership, read markers and unread counts; in memory by default. */
        public Builder conversationStore(ConversationStore store) {
            this.conversationStore = Objects.requireNonNull(store, "conversationStore must not be null");
            return this;
        }

        public Builder limits(ChatLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits must not be null");
            return this;
        }

        /** HMAC secret for tokens, at least 32 bytes; a random one (with a warning) when unset. */
        public Builder tokenSecret(byte[] secret) {
            Objects.requireNonNull(secret, "tokenSecret must not be null");
            if (secret.length < MIN_TOKEN_SECRET_BYTES) {
                throw new IllegalArgumentException("tokenSecret must be at least " + MIN_TOKEN_SECRET_BYTES
                        + " bytes (256 bits), was " + secret.length + " bytes");
            }
            this.tokenSecret = Arrays.copyOf(secret, secret.length);
            return this;
        }

        /** The secret as text, encoded as UTF-8; at least 32 bytes. */
        public Builder tokenSecret(String secret) {
            Objects.requireNonNull(secret, "tokenSecret must not be null");
            return tokenSecret(secret.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Secrets of earlier rotations: tokens they signed still verify (until they expire), new ones are signed
         * with {@link #tokenSecret(String)}. Rotate by moving the current secret here and setting a new one.
         */
        public Builder previousTokenSecrets(List<String> secrets) {
            Objects.requireNonNull(secrets, "previousTokenSecrets must not be null");
            List<byte[]> bytes = new ArrayList<>();
            for (String secret : secrets) {
                Objects.requireNonNull(secret, "previousTokenSecrets must not contain null");
                byte[] b = secret.getBytes(StandardCharsets.UTF_8);
                if (b.length < MIN_TOKEN_SECRET_BYTES) {
                    throw new IllegalArgumentException("previousTokenSecrets must each be at least "
                            + MIN_TOKEN_SECRET_BYTES + " bytes (256 bits), one was " + b.length + " bytes");
                }
                bytes.add(b);
            }
            this.previousTokenSecrets = List.copyOf(bytes);
            return this;
        }

        /** How long a token stays valid: 1 second to 365 days, 24 hours by default. */
        public Builder tokenTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "tokenTtl must not be null");
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofDays(365)) > 0) {
                throw new IllegalArgumentException("tokenTtl must be between 1 second and 365 days, was " + ttl);
            }
            this.tokenTtl = ttl;
            return this;
        }

        /** bcrypt cost, 10 (OWASP's minimum) by default; 4 to 31; lower than 10 only in tests. */
        public Builder bcryptCost(int cost) {
            if (cost < 4 || cost > 31) {
                throw new IllegalArgumentException("bcryptCost must be between 4 and 31, was " + cost);
            }
            this.bcryptCost = cost;
            return this;
        }

        /**
         * How long this node's presence entries outlive it: 100 ms to 1 hour, 30 seconds by default. The node
         * renews its lease and expires other nodes' lapsed ones every third of it.
         */
        public Builder presenceLeaseTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "presenceLeaseTtl must not be null");
            if (ttl.compareTo(Duration.ofMillis(100)) < 0 || ttl.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("presenceLeaseTtl must be between 100 ms and 1 hour, was " + ttl);
            }
            this.presenceLeaseTtl = ttl;
            return this;
        }

        public Builder metrics(ChatMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
            return this;
        }

        /** The clock for message times, tokens and rate limits; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Whether this node writes messages to the history store (default true): through the persister group
         * with {@link AckPoint#BUS}, its own before it acks with {@link AckPoint#HISTORY}. Turn off only on
         * nodes of a deployment with a durable bus where other nodes persist.
         */
        public Builder persistHistory(boolean persist) {
            this.persistHistory = persist;
            return this;
        }

        /**
         * When a send is acknowledged; {@link AckPoint#AUTO} by default: after the history store's commit on the
         * in-memory bus, when the bus has it on a durable bus such as Kafka.
         */
        public Builder ackPoint(AckPoint ackPoint) {
            this.ackPoint = Objects.requireNonNull(ackPoint, "ackPoint must not be null");
            return this;
        }

        /** With {@link AckPoint#HISTORY}: how messages are grouped into commits; {@link GroupCommit#DEFAULTS} by default. */
        public Builder groupCommit(GroupCommit groupCommit) {
            this.groupCommit = Objects.requireNonNull(groupCommit, "groupCommit must not be null");
            return this;
        }

        /** Socket.IO connection state recovery; {@link RecoveryOptions#DISABLED} by default. */
        public Builder recovery(RecoveryOptions options) {
            this.recovery = Objects.requireNonNull(options, "recovery must not be null");
            return this;
        }

        /** Where recovery sessions are kept for every node; in memory (this node only) by default. */
        public Builder recoverySessionStore(RecoverySessionStore store) {
            this.recoverySessionStore = Objects.requireNonNull(store, "recoverySessionStore must not be null");
            return this;
        }

        /**
         * @throws IllegalArgumentException for {@link AckPoint#HISTORY} on a node that does not persist history
         */
        public ChatEngine build() {
            if (ackPoint == AckPoint.HISTORY && !persistHistory) {
                throw new IllegalArgumentException("ackPoint HISTORY needs persistHistory(true): a node that does"
                        + " not write history cannot ack after its commit");
            }
            return new ChatEngine(this);
        }
    }
}
