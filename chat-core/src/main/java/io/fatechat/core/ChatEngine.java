package io.fatechat.core;

import com.github.f4b6a3.uuid.factory.standard.TimeOrderedEpochFactory;
import io.fatechat.core.internal.BoundedCache;
import io.fatechat.core.internal.BusEvent;
import io.fatechat.core.internal.FieldRules;
import io.fatechat.core.internal.PasswordHasher;
import io.fatechat.core.internal.TokenBucket;
import io.fatechat.core.internal.TokenSigner;
import io.fatechat.core.internal.WireCodec;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusSubscription;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ChatException;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ClosedException;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.EmailTakenException;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.InvalidCredentialsException;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.NotInRoomException;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.RateLimitedException;
import io.fatechat.spi.Room;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.UnknownRoomException;
import io.fatechat.spi.UnknownUserException;
import io.fatechat.spi.User;
import io.fatechat.spi.UserStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
 *   <li>a client id is unique per sender: a re-send returns the first message's id and time, found in a
 *       window of the 65,536 newest client ids this node sent or saw, else in the history store;</li>
 *   <li>typing indicators beyond the message rate of a connection are dropped silently.</li>
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
    private static final int ROOM_CACHE_SIZE = 10_000;
    private static final int USER_CACHE_SIZE = 10_000;
    private static final int CLIENT_ID_WINDOW = 65_536;
    private static final Duration CLOSE_PUBLISH_WAIT = Duration.ofSeconds(2);
    private static final String BEARER = "bearer ";

    private final String nodeId;
    private final ChatLimits limits;
    private final MessageBus bus;
    private final PresenceStore presence;
    private final HistoryStore history;
    private final UserStore users;
    private final RoomStore rooms;
    private final ChatMetrics metrics;
    private final Clock clock;
    private final Duration leaseTtl;
    private final TokenSigner tokens;
    private final PasswordHasher passwords;
    private final TimeOrderedEpochFactory ids;
    /** SPIs the builder created itself; closed with the engine, in reverse order. */
    private final List<AutoCloseable> owned;

    private final List<ChatEventSink> sinks = new CopyOnWriteArrayList<>();
    private final List<BusSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Map<String, LocalConnection> connections = new ConcurrentHashMap<>();
    private final String incarnation;
    private final AtomicLong connectionSequence = new AtomicLong();
    private final BoundedCache<String, Room> roomsByKey = new BoundedCache<>(ROOM_CACHE_SIZE);
    private final BoundedCache<Long, Room> roomsById = new BoundedCache<>(ROOM_CACHE_SIZE);
    private final BoundedCache<String, Boolean> knownUsers = new BoundedCache<>(USER_CACHE_SIZE);
    /** sender + clientId -> the message sent or seen with it: de-duplicates re-sends and their broadcasts. */
    private final BoundedCache<String, ClientIdEntry> clientIds = new BoundedCache<>(CLIENT_ID_WINDOW);
    /** Per user on this node; full (idle) buckets are swept away periodically, so the map stays small. */
    private final Map<String, TokenBucket> messageBuckets = new ConcurrentHashMap<>();
    /**
     * Connections whose presence the store may hold wrongly because a write failed (presence down): chat goes
     * on, and the lease task rewrites their entries from the connection's own state once the store answers.
     */
    private final Set<String> presenceRepairs = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    /**
     * Re-reads a room's online users when a presence event arrives. Snapshots published by different nodes
     * can arrive out of order, so the event only says "this room changed"; one pending read per room at a
     * time coalesces bursts, and the read that runs last sees the newest state.
     */
    private final ExecutorService presenceReader;
    private final Set<String> presenceReadsPending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object[] roomStripes = new Object[64];

    private ChatEngine(Builder b) {
        this.nodeId = b.nodeId != null ? b.nodeId : "node-" + randomBase36(8);
        this.limits = b.limits;
        this.metrics = b.metrics;
        this.clock = b.clock;
        this.leaseTtl = b.presenceLeaseTtl;
        this.incarnation = randomBase36(6);
        Arrays.setAll(roomStripes, i -> new Object());
        List<AutoCloseable> created = new ArrayList<>();
        this.owned = created;
        this.bus = b.messageBus != null ? b.messageBus : own(created, new InMemoryMessageBus());
        this.presence = b.presenceStore != null ? b.presenceStore : own(created, new InMemoryPresenceStore(clock));
        this.history = b.historyStore != null ? b.historyStore : own(created, new InMemoryHistoryStore());
        this.users = b.userStore != null ? b.userStore : own(created, new InMemoryUserStore());
        this.rooms = b.roomStore != null ? b.roomStore : own(created, new InMemoryRoomStore(clock));
        byte[] secret = b.tokenSecret;
        if (secret == null) {
            secret = new byte[MIN_TOKEN_SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            log.warn("No token secret configured for node {}: generated a random one. Tokens will not survive a "
                    + "restart and will not verify on other nodes; configure a secret of at least {} bytes.",
                    nodeId, MIN_TOKEN_SECRET_BYTES);
        }
        this.tokens = new TokenSigner(secret, b.tokenTtl, clock);
        this.passwords = new PasswordHasher(b.bcryptCost);
        if (b.bcryptCost < DEFAULT_BCRYPT_COST) {
            log.warn("bcrypt cost {} is below OWASP's minimum of {}: use it only in tests", b.bcryptCost,
                    DEFAULT_BCRYPT_COST);
        }
        this.ids = TimeOrderedEpochFactory.builder().withClock(clock).withIncrementPlus1().build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fatechat-engine-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        this.presenceReader = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fatechat-presence-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        try {
            subscriptions.add(bus.subscribeBroadcast(BusTopic.MESSAGES, this::onMessageRecord));
            subscriptions.add(bus.subscribeBroadcast(BusTopic.EVENTS, this::onEventRecord));
            if (b.persistHistory) {
                subscriptions.add(bus.subscribeShared(BusTopic.MESSAGES, PERSISTER_GROUP, this::persist));
            }
            try {
                presence.renewLease(nodeId, leaseTtl);
            } catch (RuntimeException e) {
                // The maintenance task retries every third of the lease; a presence outage must not stop chat.
                log.warn("Could not take the presence lease of node {} at start; will retry", nodeId, e);
            }
            long period = Math.max(1, leaseTtl.toMillis() / 3);
            scheduler.scheduleWithFixedDelay(this::maintain, period, period, TimeUnit.MILLISECONDS);
        } catch (RuntimeException | Error e) {
            shutdownQuietly();
            throw e;
        }
        log.info("Chat engine started: node {}, limits {}", nodeId, limits);
    }

    private static <T extends AutoCloseable> T own(List<AutoCloseable> created, T resource) {
        created.add(resource);
        return resource;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The token in an {@code Authorization} header value: strips a leading {@code Bearer } (any case) and
     * surrounding white space. Returns null for null; the value itself when it has no prefix.
     */
    public static String stripBearerPrefix(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return value.substring(BEARER.length()).strip();
        }
        return value;
    }

    /** This node's id, unique in the deployment. */
    public String nodeId() {
        return nodeId;
    }

    public ChatLimits limits() {
        return limits;
    }

    /**
     * Registers a user and returns a signed token for them.
     *
     * @throws io.fatechat.spi.InvalidInputException for a malformed e-mail or a too short or too long password
     * @throws io.fatechat.spi.EmailTakenException when the e-mail is registered already
     */
    public String register(String email, String password) {
        return guard(() -> {
            String address = FieldRules.email("email", email);
            String secret = FieldRules.newPassword("password", password);
            ensureOpen();
            if (users.findByEmail(address).isPresent()) {
                // Saves a bcrypt hash; the store's create below stays the authority under concurrent registrations.
                throw new EmailTakenException(address);
            }
            String hash = passwords.hash(secret);
            users.create(new User(address, hash, now()));
            knownUsers.put(address, Boolean.TRUE);
            return tokens.issue(address);
        });
    }

    /**
     * Checks the credentials and returns a new signed token.
     *
     * @throws io.fatechat.spi.InvalidCredentialsException for an unknown e-mail or a wrong password
     * @throws io.fatechat.spi.InvalidInputException when the e-mail or the password is missing or empty
     */
    public String login(String email, String password) {
        return guard(() -> {
            if (email == null || email.isBlank()) {
                throw new InvalidInputException("email", email == null ? "is required" : "must not be empty");
            }
            if (password == null || password.isEmpty()) {
                throw new InvalidInputException("password", password == null ? "is required" : "must not be empty");
            }
            ensureOpen();
            // No account can have a password longer than bcrypt's 72 bytes: never let bcrypt truncate one into a match.
            boolean possible = FieldRules.isEmail(email) && FieldRules.isWellFormed(password)
                    && password.getBytes(StandardCharsets.UTF_8).length <= FieldRules.MAX_PASSWORD_BYTES;
            Optional<User> user = possible ? users.findByEmail(email.trim().toLowerCase(Locale.ROOT)) : Optional.empty();
            if (user.isEmpty()) {
                // Same work as a wrong password, so response times do not reveal which e-mails exist.
                passwords.verifyDummy(password);
                throw new InvalidCredentialsException();
            }
            if (!passwords.verify(password, user.get().passwordHash())) {
                throw new InvalidCredentialsException();
            }
            String address = user.get().email().toLowerCase(Locale.ROOT);
            knownUsers.put(address, Boolean.TRUE);
            return tokens.issue(address);
        });
    }

    /**
     * Verifies a token and returns the e-mail of its user. The token must not carry a {@code Bearer } prefix
     * (see {@link #stripBearerPrefix}).
     *
     * @throws io.fatechat.spi.InvalidTokenException when missing, expired, malformed or forged
     */
    public String authenticate(String token) {
        return guard(() -> tokens.verify(token));
    }

    /** Creates a room. @throws io.fatechat.spi.RoomExistsException, io.fatechat.spi.InvalidInputException */
    public Room createRoom(String user, String name) {
        return guard(() -> {
            FieldRules.nonEmpty("user", user);
            String roomName = FieldRules.roomName("name", name, limits.maxRoomNameLength());
            ensureOpen();
            Room room = rooms.create(roomName);
            cacheRoom(room);
            log.debug("Room '{}' created by {}", room.name(), user);
            return room;
        });
    }

    /** Every room, oldest first. */
    public List<Room> rooms() {
        return guard(() -> {
            ensureOpen();
            return rooms.list();
        });
    }

    /** @throws io.fatechat.spi.UnknownRoomException */
    public Room room(long id) {
        return guard(() -> {
            ensureOpen();
            return roomById(id);
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
        return guard(() -> {
            FieldRules.nonEmpty("user", user);
            String before = FieldRules.messageId("before", beforeId);
            ensureOpen();
            Room room = roomById(roomId);
            return history.page(room.conversation(), before, clampCount(limit));
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
        return guard(() -> {
            String me = FieldRules.email("user", user);
            String other = FieldRules.email("email", otherUser);
            String before = FieldRules.messageId("before", beforeId);
            ensureOpen();
            ensureUserExists(other);
            return history.page(ConversationId.direct(me, other), before, clampCount(limit));
        });
    }

    /** Opens a connection for an authenticated user (an e-mail as returned by {@link #authenticate}). */
    public ChatConnection connect(String user) {
        return guard(() -> {
            String email = FieldRules.email("user", user);
            ensureOpen();
            String id = nodeId + ":" + incarnation + ":" + Long.toString(connectionSequence.incrementAndGet(), 36);
            LocalConnection connection = new LocalConnection(id, email);
            connections.put(id, connection);
            metrics.connectionsChanged(1);
            if (closed.get() && connections.remove(id) != null) {
                metrics.connectionsChanged(-1);
                throw new ClosedException("chat engine");
            }
            return connection;
        });
    }

    /** Adds a sink for this node's deliveries; closing the returned handle removes it. */
    public AutoCloseable attach(ChatEventSink sink) {
        Objects.requireNonNull(sink, "sink");
        sinks.add(sink);
        return () -> sinks.remove(sink);
    }

    /** The connections currently open on this node. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Stops subscriptions and the lease, removes this node's presence (telling the other nodes' clients),
     * closes the SPIs it created itself. Open connections are closed without leave event messages.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        for (LocalConnection connection : connections.values()) {
            connection.markClosed();
        }
        List<CompletableFuture<Void>> announcements = new ArrayList<>();
        try {
            for (String room : presence.removeNode(nodeId)) {
                publishPresence(room, announcements);
            }
        } catch (RuntimeException e) {
            log.warn("Could not remove node {}'s presence on close; its lease will expire it", nodeId, e);
        }
        try {
            CompletableFuture.allOf(announcements.toArray(new CompletableFuture<?>[0]))
                    .get(CLOSE_PUBLISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("Presence announcements on close did not all complete", e);
        }
        shutdownQuietly();
        log.info("Chat engine of node {} closed", nodeId);
    }

    private void shutdownQuietly() {
        scheduler.shutdownNow();
        presenceReader.shutdownNow();
        for (BusSubscription subscription : subscriptions) {
            try {
                subscription.close();
            } catch (RuntimeException e) {
                log.warn("Closing a bus subscription failed", e);
            }
        }
        subscriptions.clear();
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                log.warn("Closing {} failed", owned.get(i), e);
            }
        }
    }

    // ---------------------------------------------------------------- sending

    /** Validated and authorized: assign id and time, publish, answer once the bus has made it durable. */
    private CompletionStage<SendReceipt> send(String sender, ConversationId conversation, String text,
                                              String clientId) {
        String key = clientId == null ? null : sender + '\n' + clientId;
        if (key != null) {
            ClientIdEntry known = clientIds.get(key);
            if (known != null) {
                return known.duplicateReceipt();
            }
        }
        TokenBucket bucket = messageBuckets.computeIfAbsent(sender,
                s -> new TokenBucket(limits.messagesPerSecond(), limits.messageBurst(), clock.millis()));
        if (!bucket.tryAcquire(clock.millis())) {
            throw new RateLimitedException("messagesPerSecond", "too many messages: at most "
                    + limits.messagesPerSecond() + " per second (bursts of " + limits.messageBurst()
                    + "); try again shortly");
        }
        if (key != null) {
            Optional<ChatMessage> stored = findStored(sender, clientId);
            if (stored.isPresent()) {
                ClientIdEntry entry = ClientIdEntry.of(stored.get());
                ClientIdEntry raced = clientIds.putIfAbsent(key, entry);
                return (raced != null ? raced : entry).duplicateReceipt();
            }
        }
        ChatMessage message = new ChatMessage(ids.create().toString(), conversation, sender, text, false, now(),
                clientId);
        ClientIdEntry entry = new ClientIdEntry(message.id(), message.createdAt(), new CompletableFuture<>());
        if (key != null) {
            ClientIdEntry raced = clientIds.putIfAbsent(key, entry);
            if (raced != null) {
                return raced.duplicateReceipt();
            }
        }
        publishMessage(message).whenComplete((ignored, failure) -> {
            if (failure == null) {
                metrics.messageSent();
                entry.receipt.complete(new SendReceipt(message.id(), message.createdAt(), false));
            } else {
                if (key != null) {
                    clientIds.remove(key, entry);
                }
                ChatException error = asChatException(failure);
                metrics.requestRefused(error.code());
                entry.receipt.completeExceptionally(error);
            }
        });
        return entry.receipt.copy();
    }

    private Optional<ChatMessage> findStored(String sender, String clientId) {
        try {
            return history.findByClientId(sender, clientId);
        } catch (RuntimeException e) {
            // History being down must delay history, never sending; the bus and the stores de-duplicate anyway.
            log.warn("Could not look up client id of {} in history; sending as new", sender, e);
            return Optional.empty();
        }
    }

    private CompletionStage<Void> publishMessage(ChatMessage message) {
        return publish(new BusRecord(BusTopic.MESSAGES, message.conversation().key(), WireCodec.encodeMessage(message)));
    }

    private CompletionStage<Void> publish(BusRecord record) {
        try {
            CompletionStage<Void> stage = bus.publish(record);
            return stage != null ? stage
                    : CompletableFuture.failedFuture(new IllegalStateException("bus returned no completion"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void publishEventMessage(String room, String user, String text) {
        ChatMessage message = new ChatMessage(ids.create().toString(), ConversationId.room(room), user, text, true,
                now(), null);
        publishMessage(message).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.warn("Could not publish event message '{}' to room '{}'", text, room, unwrap(failure));
            }
        });
    }

    /**
     * Reads the room's online users and publishes them on the events topic for every node. Runs under the
     * room's lock stripe, so this node's announcements of a room are published in the order they were read
     * and the last one published is the freshest. Returns the list read, or null when reading failed.
     */
    private List<String> publishPresence(String room, List<CompletableFuture<Void>> published) {
        synchronized (roomStripe(room)) {
            List<String> online;
            try {
                online = presence.onlineUsers(room);
            } catch (RuntimeException e) {
                log.warn("Could not read the online users of room '{}'", room, e);
                return null;
            }
            byte[] payload = WireCodec.encodeEvent(new BusEvent.Presence(room, online));
            CompletionStage<Void> stage = publish(new BusRecord(BusTopic.EVENTS, ConversationId.room(room).key(),
                    payload));
            stage.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    log.warn("Could not publish the online users of room '{}'", room, unwrap(failure));
                }
            });
            if (published != null) {
                published.add(stage.toCompletableFuture());
            }
            return online;
        }
    }

    private List<String> publishPresence(String room) {
        return publishPresence(room, null);
    }

    /** The lock that orders this node's presence reads and announcements of {@code room}. */
    private Object roomStripe(String room) {
        return roomStripes[(room.hashCode() & 0x7fffffff) % roomStripes.length];
    }

    /** After a join: a join event message if the user was not online in the room before, then online users. */
    private void announceJoin(String room, String user, boolean wasOnline) {
        if (!wasOnline) {
            publishEventMessage(room, user, user + " joined the room");
        }
        publishPresence(room);
    }

    /** After a leave: online users, then a leave event message if the user is no longer online in the room. */
    private void announceLeave(String room, String user) {
        List<String> online = publishPresence(room);
        if (online != null && !online.contains(user)) {
            publishEventMessage(room, user, user + " left the room");
        }
    }

    // ---------------------------------------------------------------- receiving

    private void onMessageRecord(BusRecord record) {
        ChatMessage message;
        try {
            message = WireCodec.decodeMessage(record.payload());
        } catch (IllegalArgumentException e) {
            log.warn("Skipping a malformed record on the messages topic (key {}): {}", record.key(), e.getMessage());
            return;
        }
        if (message.clientId() != null) {
            String key = message.sender() + '\n' + message.clientId();
            ClientIdEntry candidate = ClientIdEntry.of(message);
            ClientIdEntry known = clientIds.putIfAbsent(key, candidate);
            if (known != null && !known.id.equals(message.id())) {
                // A re-send of a client id already shown here (sent through another node): show it once.
                log.debug("Dropping duplicate {} of client id {} from {}", message.id(), message.clientId(),
                        message.sender());
                return;
            }
        }
        if (sinks.isEmpty()) {
            return;
        }
        boolean room = message.conversation().isRoom();
        for (ChatEventSink sink : sinks) {
            try {
                if (room) {
                    sink.roomMessage(message);
                } else {
                    sink.privateMessage(message);
                }
            } catch (RuntimeException e) {
                log.warn("Sink {} failed on message {}", sink, message.id(), e);
            }
        }
        Duration latency = Duration.between(message.createdAt(), clock.instant());
        metrics.messageDelivered(latency.isNegative() ? Duration.ZERO : latency);
    }

    private void onEventRecord(BusRecord record) {
        BusEvent event;
        try {
            event = WireCodec.decodeEvent(record.payload());
        } catch (IllegalArgumentException e) {
            log.warn("Skipping a malformed record on the events topic (key {}): {}", record.key(), e.getMessage());
            return;
        }
        if (event == null) {
            return;
        }
        if (event instanceof BusEvent.Presence p) {
            schedulePresenceRead(p);
            return;
        }
        for (ChatEventSink sink : sinks) {
            try {
                if (event instanceof BusEvent.Typing t) {
                    sink.typing(t.room(), t.user(), t.connectionId());
                }
            } catch (RuntimeException e) {
                log.warn("Sink {} failed on event {}", sink, event, e);
            }
        }
    }

    /** Delivers the room's current online users, read off the bus thread; the event's own list is the fallback. */
    private void schedulePresenceRead(BusEvent.Presence event) {
        String room = event.room();
        if (sinks.isEmpty() || closed.get() || !presenceReadsPending.add(room)) {
            return;
        }
        try {
            presenceReader.execute(() -> {
                // Cleared before reading: an event arriving during the read schedules a read after it.
                presenceReadsPending.remove(room);
                List<String> users;
                try {
                    users = presence.onlineUsers(room);
                } catch (RuntimeException e) {
                    log.debug("Could not re-read the online users of room '{}'; using the announced list", room, e);
                    users = event.users();
                }
                deliverOnlineUsers(room, users);
            });
        } catch (RejectedExecutionException e) {
            presenceReadsPending.remove(room); // closing
        }
    }

    private void deliverOnlineUsers(String room, List<String> users) {
        for (ChatEventSink sink : sinks) {
            try {
                sink.onlineUsers(room, users);
            } catch (RuntimeException e) {
                log.warn("Sink {} failed on the online users of room '{}'", sink, room, e);
            }
        }
    }

    /** The persister: one member per node of {@link #PERSISTER_GROUP}; throwing makes the bus redeliver. */
    private void persist(List<BusRecord> batch) {
        List<ChatMessage> messages = new ArrayList<>(batch.size());
        for (BusRecord record : batch) {
            try {
                messages.add(WireCodec.decodeMessage(record.payload()));
            } catch (IllegalArgumentException e) {
                // Retrying cannot fix a malformed record: skip it rather than block every later message.
                log.error("Not persisting a malformed record on the messages topic (key {}): {}", record.key(),
                        e.getMessage());
            }
        }
        if (!messages.isEmpty()) {
            history.append(messages);
        }
    }

    // ---------------------------------------------------------------- maintenance

    /**
     * Makes the store hold exactly the rooms the connection is in now (none once it is closed). Under the
     * connection's lock, so no join or leave of it interleaves. Returns the rooms whose presence may have changed.
     */
    private Set<String> repairPresence(String connectionId) {
        LocalConnection connection = connections.get(connectionId);
        if (connection == null) {
            return presence.leaveAll(connectionId);
        }
        synchronized (connection.lock) {
            Set<String> changed = new java.util.HashSet<>(presence.leaveAll(connectionId));
            if (!connection.closed) {
                for (String room : connection.joined.values()) {
                    presence.join(nodeId, connectionId, connection.user, room);
                    changed.add(room);
                }
            }
            return changed;
        }
    }

    /** Every third of the lease: renew it, expire dead nodes' presence, retry failed leaves, sweep idle buckets. */
    private void maintain() {
        try {
            maintainOnce();
        } catch (RuntimeException e) {
            // An escaping exception would cancel the schedule and with it the lease.
            log.error("Presence maintenance of node {} failed", nodeId, e);
        }
    }

    private void maintainOnce() {
        try {
            presence.renewLease(nodeId, leaseTtl);
        } catch (RuntimeException e) {
            log.warn("Could not renew the presence lease of node {}", nodeId, e);
        }
        for (Iterator<String> it = presenceRepairs.iterator(); it.hasNext(); ) {
            String connectionId = it.next();
            try {
                Set<String> changed = repairPresence(connectionId);
                it.remove();
                changed.forEach(this::publishPresence);
            } catch (RuntimeException e) {
                log.debug("Still cannot repair the presence of connection {}", connectionId, e);
                break;
            }
        }
        try {
            for (String room : presence.expireLeases()) {
                publishPresence(room);
            }
        } catch (RuntimeException e) {
            log.warn("Could not expire lapsed presence leases", e);
        }
        long nowMillis = clock.millis();
        messageBuckets.values().removeIf(bucket -> bucket.isFull(nowMillis));
    }

    // ---------------------------------------------------------------- helpers

    private <T> T guard(Supplier<T> action) {
        try {
            return action.get();
        } catch (ChatException e) {
            metrics.requestRefused(e.code());
            throw e;
        }
    }

    private void guardRun(Runnable action) {
        guard(() -> {
            action.run();
            return null;
        });
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new ClosedException("chat engine");
        }
    }

    private Instant now() {
        // Milliseconds: what JSON clients, JavaScript dates and the SQL stores keep, so a message reads back equal.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private int clampCount(int count) {
        return Math.max(1, Math.min(count, limits.maxRecentMessages()));
    }

    private void cacheRoom(Room room) {
        roomsByKey.put(FieldRules.roomKey(room.name()), room);
        roomsById.put(room.id(), room);
    }

    /** The room named {@code normalizedName}, compared case-insensitively. */
    private Room roomByName(String normalizedName) {
        String key = FieldRules.roomKey(normalizedName);
        Room room = roomsByKey.get(key);
        if (room != null) {
            return room;
        }
        room = rooms.findByName(normalizedName).orElseThrow(() -> new UnknownRoomException(normalizedName));
        roomsByKey.put(key, room);
        roomsById.put(room.id(), room);
        return room;
    }

    private Room roomById(long id) {
        Room room = roomsById.get(id);
        if (room != null) {
            return room;
        }
        if (id <= 0) {
            throw new UnknownRoomException(Long.toString(id));
        }
        room = rooms.findById(id).orElseThrow(() -> new UnknownRoomException(Long.toString(id)));
        cacheRoom(room);
        return room;
    }

    private void ensureUserExists(String email) {
        if (knownUsers.get(email) != null) {
            return;
        }
        if (users.findByEmail(email).isEmpty()) {
            throw new UnknownUserException(email);
        }
        knownUsers.put(email, Boolean.TRUE);
    }

    private static ChatException asChatException(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ChatException chat) {
            return chat;
        }
        String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new BackendUnavailableException("message bus", reason, cause);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String randomBase36(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(Character.forDigit(random.nextInt(36), 36));
        }
        return out.toString();
    }

    /** A message sent or seen with a client id; {@code receipt} completes once the bus has it. */
    private record ClientIdEntry(String id, Instant createdAt, CompletableFuture<SendReceipt> receipt) {

        static ClientIdEntry of(ChatMessage message) {
            return new ClientIdEntry(message.id(), message.createdAt(),
                    CompletableFuture.completedFuture(new SendReceipt(message.id(), message.createdAt(), false)));
        }

        CompletionStage<SendReceipt> duplicateReceipt() {
            return receipt.thenApply(r -> new SendReceipt(r.id(), r.createdAt(), true));
        }
    }

    // ---------------------------------------------------------------- connections

    private final class LocalConnection implements ChatConnection {

        private final String id;
        private final String user;
        private final Object lock = new Object();
        /** room key (lower case) -> canonical name; guarded by {@link #lock}. */
        private final Map<String, String> joined = new LinkedHashMap<>();
        /** Typing indicators beyond the message rate are dropped silently: they are only hints. */
        private final TokenBucket typingBucket;
        private boolean closed;

        LocalConnection(String id, String user) {
            this.id = id;
            this.user = user;
            this.typingBucket = new TokenBucket(limits.messagesPerSecond(), limits.messageBurst(), clock.millis());
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public Set<String> rooms() {
            synchronized (lock) {
                return Set.copyOf(joined.values());
            }
        }

        @Override
        public String joinRoom(String roomName) {
            return joinRoom(roomName, room -> { });
        }

        @Override
        public String joinRoom(String roomName, Consumer<String> beforeAnnounce) {
            Objects.requireNonNull(beforeAnnounce, "beforeAnnounce");
            return guard(() -> {
                String name = FieldRules.roomName("roomName", roomName, limits.maxRoomNameLength());
                ensureOpen();
                Room room = roomByName(name);
                String canonical = room.name();
                String key = FieldRules.roomKey(canonical);
                boolean wasOnline;
                synchronized (lock) {
                    checkOpen();
                    if (joined.containsKey(key)) {
                        return canonical;
                    }
                    if (joined.size() >= limits.maxRoomsPerConnection()) {
                        throw new RateLimitedException("roomsPerConnection", "a connection may be in at most "
                                + limits.maxRoomsPerConnection() + " rooms at once; leave one first");
                    }
                    synchronized (roomStripe(canonical)) {
                        // Under the stripe so that two tabs of one user joining at once announce one join.
                        wasOnline = false;
                        try {
                            wasOnline = presence.onlineUsers(canonical).contains(user);
                            presence.join(nodeId, id, user, canonical);
                        } catch (BackendUnavailableException e) {
                            // Presence degrades, chat goes on: the lease task writes this entry once it is back.
                            log.warn("Presence unavailable while connection {} joins '{}': joining without it ({})",
                                    id, canonical, e.getMessage());
                            presenceRepairs.add(id);
                        }
                    }
                    joined.put(key, canonical);
                }
                try {
                    beforeAnnounce.accept(canonical);
                } catch (RuntimeException e) {
                    log.warn("beforeAnnounce callback of connection {} failed", id, e);
                }
                announceJoin(canonical, user, wasOnline);
                return canonical;
            });
        }

        @Override
        public void leaveRoom(String roomName) {
            guardRun(() -> {
                String name = FieldRules.roomName("roomName", roomName, limits.maxRoomNameLength());
                ensureOpen();
                String canonical;
                synchronized (lock) {
                    checkOpen();
                    canonical = joined.get(FieldRules.roomKey(name));
                    if (canonical != null) {
                        joined.remove(FieldRules.roomKey(name));
                        try {
                            presence.leave(id, canonical);
                        } catch (BackendUnavailableException e) {
                            log.warn("Presence unavailable while connection {} leaves '{}': repaired later ({})",
                                    id, canonical, e.getMessage());
                            presenceRepairs.add(id);
                        }
                    }
                }
                if (canonical == null) {
                    roomByName(name); // an unknown room is an error; a known one not joined is a no-op
                    return;
                }
                announceLeave(canonical, user);
            });
        }

        @Override
        public CompletionStage<SendReceipt> sendMessage(String roomName, String text, String clientId) {
            return guard(() -> {
                String name = FieldRules.roomName("roomName", roomName, limits.maxRoomNameLength());
                String message = FieldRules.messageText("message", text, limits.maxMessageLength());
                String client = FieldRules.clientId("clientId", clientId);
                ensureOpen();
                String canonical = joinedRoom(name);
                return send(user, ConversationId.room(canonical), message, client);
            });
        }

        @Override
        public CompletionStage<SendReceipt> sendPrivateMessage(String toUser, String text, String clientId) {
            return guard(() -> {
                String to = FieldRules.email("to", toUser);
                String message = FieldRules.messageText("message", text, limits.maxMessageLength());
                String client = FieldRules.clientId("clientId", clientId);
                ensureOpen();
                checkOpenUnlocked();
                ensureUserExists(to);
                return send(user, ConversationId.direct(user, to), message, client);
            });
        }

        @Override
        public List<ChatMessage> recentMessages(String roomName, int count) {
            return guard(() -> {
                String name = FieldRules.roomName("roomName", roomName, limits.maxRoomNameLength());
                ensureOpen();
                checkOpenUnlocked();
                return history.recent(roomByName(name).conversation(), clampCount(count));
            });
        }

        @Override
        public List<String> onlineUsers(String roomName) {
            return guard(() -> {
                String name = FieldRules.roomName("roomName", roomName, limits.maxRoomNameLength());
                ensureOpen();
                checkOpenUnlocked();
                return presence.onlineUsers(roomByName(name).name());
            });
        }

        @Override
        public void typing(String roomName) {
            guardRun(() -> {
                String name = FieldRules.roomName("roomName", roomName, limits.maxRoomNameLength());
                ensureOpen();
                String canonical = joinedRoom(name);
                if (!typingBucket.tryAcquire(clock.millis())) {
                    return;
                }
                byte[] payload = WireCodec.encodeEvent(new BusEvent.Typing(canonical, user, id));
                publish(new BusRecord(BusTopic.EVENTS, ConversationId.room(canonical).key(), payload))
                        .whenComplete((ignored, failure) -> {
                            if (failure != null) {
                                log.debug("Could not publish typing of {} in '{}'", user, canonical, unwrap(failure));
                            }
                        });
            });
        }

        @Override
        public void close() {
            Map<String, String> left;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                left = new LinkedHashMap<>(joined);
                joined.clear();
            }
            connections.remove(id);
            metrics.connectionsChanged(-1);
            if (left.isEmpty() || ChatEngine.this.closed.get()) {
                return;
            }
            try {
                presence.leaveAll(id);
            } catch (RuntimeException e) {
                log.warn("Could not remove the presence of connection {}; will retry", id, e);
                presenceRepairs.add(id);
                return;
            }
            for (String room : left.values()) {
                announceLeave(room, user);
            }
        }

        /** Engine shutdown: no announcements, the node's presence is removed as a whole. */
        void markClosed() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                joined.clear();
            }
            connections.remove(id);
            metrics.connectionsChanged(-1);
        }

        /** The canonical name of a joined room; else UnknownRoomException or NotInRoomException. */
        private String joinedRoom(String normalizedName) {
            String canonical;
            synchronized (lock) {
                checkOpen();
                canonical = joined.get(FieldRules.roomKey(normalizedName));
            }
            if (canonical != null) {
                return canonical;
            }
            throw new NotInRoomException(roomByName(normalizedName).name());
        }

        /** Caller holds {@link #lock}. */
        private void checkOpen() {
            if (closed) {
                throw new ClosedException("connection");
            }
        }

        private void checkOpenUnlocked() {
            synchronized (lock) {
                checkOpen();
            }
        }

        @Override
        public String toString() {
            return "ChatConnection[" + id + ", " + user + "]";
        }
    }

    // ---------------------------------------------------------------- builder

    /** Builds a {@link ChatEngine}. Every setter validates its argument and names it in the error. */
    public static final class Builder {
        private String nodeId;
        private MessageBus messageBus;
        private PresenceStore presenceStore;
        private HistoryStore historyStore;
        private UserStore userStore;
        private RoomStore roomStore;
        private ChatLimits limits = ChatLimits.DEFAULTS;
        private byte[] tokenSecret;
        private Duration tokenTtl = DEFAULT_TOKEN_TTL;
        private int bcryptCost = DEFAULT_BCRYPT_COST;
        private Duration presenceLeaseTtl = DEFAULT_PRESENCE_LEASE_TTL;
        private ChatMetrics metrics = ChatMetrics.NONE;
        private Clock clock = Clock.systemUTC();
        private boolean persistHistory = true;

        private Builder() {
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
         * Whether this node joins the persister group that writes messages to the history store (default
         * true). Turn off only on nodes of a deployment where other nodes persist.
         */
        public Builder persistHistory(boolean persist) {
            this.persistHistory = persist;
            return this;
        }

        public ChatEngine build() {
            return new ChatEngine(this);
        }
    }
}
