package io.fatechat.spi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who belongs to which conversation and how far each member has read, kept so that a user's conversation list
 * with unread counts costs no scan of history. Checked by {@code ConversationStoreCompatibilityKit}. Thread-safe.
 *
 * <p><b>Membership</b> outlives connections: a user is a member of a room from {@link #join} until
 * {@link #leave}; both members of a private conversation are members from its first {@linkplain #record
 * recorded} message on.
 *
 * <p><b>Read state</b> is one marker per member: the id of the last message read. Message ids are time-ordered
 * (UUIDv7), so a marker splits the conversation in two: messages with an id up to the marker are read, the rest
 * unread. Markers only move forward; an older marker is ignored, which makes marking idempotent and safe to
 * repeat from any node.
 *
 * <p><b>Counting</b>: {@link #record} is fed every message once or more (the persister's shared subscription,
 * redeliveries included) and keeps per conversation a count and the newest message, and per member the number
 * of recorded messages its marker covers. The unread count is the difference, exact whatever order messages
 * are recorded in and whichever node records them: a message recorded late, with an id at or below a member's
 * marker, counts as read for that member. Event messages ("x joined") are not counted.
 */
public interface ConversationStore extends AutoCloseable {

    /**
     * Makes {@code user} a member of {@code conversation} with everything up to {@code readUpTo} read (nothing
     * when null). Joining again changes nothing: an existing member keeps its marker.
     */
    void join(String user, ConversationId conversation, String readUpTo);

    /** Ends {@code user}'s membership and drops its marker. Returns false when it was not a member. */
    boolean leave(String user, ConversationId conversation);

    /**
     * Counts the messages of {@code batch} into their conversations; idempotent by message id, so a redelivered
     * batch changes nothing. A private conversation gains both members at its first message; a sender's own
     * message moves the sender's marker up to it (one has read what one wrote).
     *
     * @throws BackendUnavailableException when the backend cannot be reached; retrying the whole batch is safe
     */
    void record(List<ChatMessage> batch);

    /**
     * Moves {@code user}'s marker in {@code conversation} forward to {@code messageId}; a marker at or past it
     * is left alone. The id need not be recorded yet (a message is delivered before it is persisted).
     *
     * @return the member's view after the call
     * @throws NotMemberException when {@code user} is not a member
     */
    Conversation markRead(String user, ConversationId conversation, String messageId);

    /** {@code user}'s view of {@code conversation}; empty when not a member. */
    Optional<Conversation> find(String user, ConversationId conversation);

    /**
     * Many members' views at once, each as {@link #find} gives it: for every conversation of {@code members},
     * the view of each listed user that is a member of it, keyed by the user as given; users that are not
     * members, and conversations with none, are left out. The engine reads the unread counts of every member
     * connected to a node this way, once per recorded batch. This default asks {@link #find} pair by pair; a
     * backend that can read many rows at once should.
     */
    default Map<ConversationId, Map<String, Conversation>> findAll(
            Map<ConversationId, ? extends Collection<String>> members) {
        Map<ConversationId, Map<String, Conversation>> views = new LinkedHashMap<>();
        members.forEach((conversation, users) -> {
            for (String user : users) {
                find(user, conversation)
                        .ifPresent(view -> views.computeIfAbsent(conversation, c -> new LinkedHashMap<>())
                                .put(user, view));
            }
        });
        return views;
    }

    /**
     * {@code user}'s conversations, newest activity first, up to {@code limit} of them, strictly after
     * {@code after} (the {@link Conversation#cursor()} of the last entry of the previous page) when not null.
     */
    List<Conversation> list(String user, ConversationCursor after, int limit);

    /** The members' markers of {@code conversation}, furthest first, up to {@code limit}: who has seen what. */
    List<ReadMarker> readMarkers(ConversationId conversation, int limit);

    @Override
    default void close() {}
}
