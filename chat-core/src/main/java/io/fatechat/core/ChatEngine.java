package io.fatechat.core;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.Room;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The chat: accounts, rooms, messages, presence. Holds every rule and limit and knows no transport.
 *
 * <p>Build one per node with {@link #builder()}; every SPI defaults to its in-memory implementation. A
 * transport {@linkplain #attach attaches} a {@link ChatEventSink} to receive what its clients must see, and
 * opens one {@link ChatConnection} per authenticated client with {@link #connect}.
 *
 * <p>Refusals are {@link io.fatechat.spi.ChatException} subclasses with messages safe to show clients.
 */
public final class ChatEngine implements AutoCloseable {

    // TODO(issue 2): implementation in progress; the public API below is the contract transports code against.

    private ChatEngine(Builder builder) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This node's id, unique in the deployment. */
    public String nodeId() {
        throw new UnsupportedOperationException();
    }

    public ChatLimits limits() {
        throw new UnsupportedOperationException();
    }

    /**
     * Registers a user and returns a signed token for them.
     *
     * @throws io.fatechat.spi.InvalidInputException for a malformed e-mail or a too short or too long password
     * @throws io.fatechat.spi.EmailTakenException when the e-mail is registered already
     */
    public String register(String email, String password) {
        throw new UnsupportedOperationException();
    }

    /**
     * Checks the credentials and returns a new signed token.
     *
     * @throws io.fatechat.spi.InvalidCredentialsException for an unknown e-mail or a wrong password
     */
    public String login(String email, String password) {
        throw new UnsupportedOperationException();
    }

    /**
     * Verifies a token and returns the e-mail of its user.
     *
     * @throws io.fatechat.spi.InvalidTokenException when missing, expired, malformed or forged
     */
    public String authenticate(String token) {
        throw new UnsupportedOperationException();
    }

    /** Creates a room. @throws io.fatechat.spi.RoomExistsException, io.fatechat.spi.InvalidInputException */
    public Room createRoom(String user, String name) {
        throw new UnsupportedOperationException();
    }

    /** Every room, oldest first. */
    public List<Room> rooms() {
        throw new UnsupportedOperationException();
    }

    /** @throws io.fatechat.spi.UnknownRoomException */
    public Room room(long id) {
        throw new UnsupportedOperationException();
    }

    /** A page of a room's history, newest first; {@code beforeId} null for the newest page. */
    public List<ChatMessage> roomHistory(String user, long roomId, String beforeId, int limit) {
        throw new UnsupportedOperationException();
    }

    /** A page of {@code user}'s private conversation with {@code otherUser}, newest first. */
    public List<ChatMessage> privateHistory(String user, String otherUser, String beforeId, int limit) {
        throw new UnsupportedOperationException();
    }

    /** Opens a connection for an authenticated user. */
    public ChatConnection connect(String user) {
        throw new UnsupportedOperationException();
    }

    /** Adds a sink for this node's deliveries; closing the returned handle removes it. */
    public AutoCloseable attach(ChatEventSink sink) {
        throw new UnsupportedOperationException();
    }

    /** Stops subscriptions and the lease, removes this node's presence, closes the SPIs it created itself. */
    @Override
    public void close() {
        throw new UnsupportedOperationException();
    }

    /** Builds a {@link ChatEngine}. Every setter validates its argument and names it in the error. */
    public static final class Builder {
        private Builder() {
        }

        public Builder nodeId(String nodeId) { throw new UnsupportedOperationException(); }
        public Builder messageBus(MessageBus bus) { throw new UnsupportedOperationException(); }
        public Builder presenceStore(PresenceStore store) { throw new UnsupportedOperationException(); }
        public Builder historyStore(HistoryStore store) { throw new UnsupportedOperationException(); }
        public Builder userStore(UserStore store) { throw new UnsupportedOperationException(); }
        public Builder roomStore(RoomStore store) { throw new UnsupportedOperationException(); }
        public Builder limits(ChatLimits limits) { throw new UnsupportedOperationException(); }
        /** HMAC secret for tokens, at least 32 bytes; a random one (with a warning) when unset. */
        public Builder tokenSecret(byte[] secret) { throw new UnsupportedOperationException(); }
        public Builder tokenTtl(Duration ttl) { throw new UnsupportedOperationException(); }
        /** bcrypt cost, 10 (OWASP's minimum) by default; lower only in tests. */
        public Builder bcryptCost(int cost) { throw new UnsupportedOperationException(); }
        public Builder presenceLeaseTtl(Duration ttl) { throw new UnsupportedOperationException(); }
        public Builder metrics(ChatMetrics metrics) { throw new UnsupportedOperationException(); }
        public Builder clock(Clock clock) { throw new UnsupportedOperationException(); }
        public ChatEngine build() { throw new UnsupportedOperationException(); }
    }
}
