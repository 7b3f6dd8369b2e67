package io.fatechat.core.memory;

import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.Conversation;
import io.fatechat.spi.ConversationCursor;
import io.fatechat.spi.ConversationId;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.NotMemberException;
import io.fatechat.spi.ReadMarker;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The in-process {@link ConversationStore}. Keeps the ids of counted messages per conversation, so a marker's
 * read count is the number of ids up to it; one lock guards everything, which is plenty for one process.
 */
public final class InMemoryConversationStore implements ConversationStore {

    private static final Comparator<Conversation> LIST_ORDER = Comparator.comparing(Conversation::activityAt)
            .thenComparing(Conversation::id)
            .reversed();

    private final Clock clock;
    private final Object lock = new Object();
    private final Map<ConversationId, State> conversations = new HashMap<>();
    private final Map<String, Set<ConversationId>> byUser = new HashMap<>();

    public InMemoryConversationStore() {
        this(Clock.systemUTC());
    }

    /** A store stamping joins with {@code clock}'s time. */
    public InMemoryConversationStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void join(String user, ConversationId conversation, String readUpTo) {
        String key = userKey(user);
        Objects.requireNonNull(conversation, "conversation");
        synchronized (lock) {
            State state = conversations.computeIfAbsent(conversation, c -> new State());
            if (!state.members.containsKey(key)) {
                Member member = addMember(key, conversation, state, clock.instant());
                if (readUpTo != null) {
                    state.advance(member, readUpTo);
                }
            }
        }
    }

    @Override
    public boolean leave(String user, ConversationId conversation) {
        String key = userKey(user);
        Objects.requireNonNull(conversation, "conversation");
        synchronized (lock) {
            State state = conversations.get(conversation);
            if (state == null || state.members.remove(key) == null) {
                return false;
            }
            Set<ConversationId> mine = byUser.get(key);
            mine.remove(conversation);
            if (mine.isEmpty()) {
                byUser.remove(key);
            }
            return true;
        }
    }

    @Override
    public void record(List<ChatMessage> batch) {
        Objects.requireNonNull(batch, "batch");
        batch.forEach(m -> Objects.requireNonNull(m, "message in batch"));
        synchronized (lock) {
            for (ChatMessage message : batch) {
                if (message.event()) {
                    continue;
                }
                ConversationId id = message.conversation();
                State state = conversations.computeIfAbsent(id, c -> new State());
                if (!state.ids.add(message.id())) {
                    continue;
                }
                if (state.last == null || message.id().compareTo(state.last.id()) > 0) {
                    state.last = message;
                }
                for (Member member : state.members.values()) {
                    if (member.readId != null && member.readId.compareTo(message.id()) >= 0) {
                        member.readCount++;
                    }
                }
                if (id.isDirect()) {
                    for (String member : id.members()) {
                        if (!state.members.containsKey(member)) {
                            addMember(member, id, state, message.createdAt());
                        }
                    }
                }
                Member sender = state.members.get(userKey(message.sender()));
                if (sender != null) {
                    state.advance(sender, message.id());
                }
            }
        }
    }

    @Override
    public Conversation markRead(String user, ConversationId conversation, String messageId) {
        String key = userKey(user);
        Objects.requireNonNull(conversation, "conversation");
        checkMessageId(messageId);
        synchronized (lock) {
            State state = conversations.get(conversation);
            Member member = state == null ? null : state.members.get(key);
            if (member == null) {
                throw new NotMemberException(key, conversation);
            }
            state.advance(member, messageId);
            return state.view(conversation, member);
        }
    }

    @Override
    public Optional<Conversation> find(String user, ConversationId conversation) {
        String key = userKey(user);
        Objects.requireNonNull(conversation, "conversation");
        synchronized (lock) {
            State state = conversations.get(conversation);
            Member member = state == null ? null : state.members.get(key);
            return member == null ? Optional.empty() : Optional.of(state.view(conversation, member));
        }
    }

    @Override
    public List<Conversation> list(String user, ConversationCursor after, int limit) {
        String key = userKey(user);
        checkLimit(limit);
        List<Conversation> views = new ArrayList<>();
        synchronized (lock) {
            for (ConversationId id : byUser.getOrDefault(key, Set.of())) {
                State state = conversations.get(id);
                Conversation view = state.view(id, state.members.get(key));
                if (after == null || after.precedes(view.activityAt(), id)) {
                    views.add(view);
                }
            }
        }
        views.sort(LIST_ORDER);
        return List.copyOf(views.subList(0, Math.min(limit, views.size())));
    }

    @Override
    public List<ReadMarker> readMarkers(ConversationId conversation, int limit) {
        Objects.requireNonNull(conversation, "conversation");
        checkLimit(limit);
        List<ReadMarker> markers = new ArrayList<>();
        synchronized (lock) {
            State state = conversations.get(conversation);
            if (state != null) {
                state.members.forEach((user, member) -> {
                    if (member.readId != null) {
                        markers.add(new ReadMarker(user, member.readId));
                    }
                });
            }
        }
        markers.sort(Comparator.comparing(ReadMarker::messageId)
                .thenComparing(ReadMarker::user)
                .reversed());
        return List.copyOf(markers.subList(0, Math.min(limit, markers.size())));
    }

    private Member addMember(String key, ConversationId conversation, State state, Instant joinedAt) {
        Member member = new Member(joinedAt);
        state.members.put(key, member);
        byUser.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(conversation);
        return member;
    }

    private static String userKey(String user) {
        Objects.requireNonNull(user, "user");
        return user.toLowerCase(Locale.ROOT);
    }

    private static void checkMessageId(String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        if (messageId.isEmpty()) {
            throw new InvalidInputException("messageId", "must not be empty");
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
    }

    private static final class State {
        final TreeSet<String> ids = new TreeSet<>();
        final Map<String, Member> members = new HashMap<>();
        ChatMessage last;

        /** Moves the marker forward; its read count is the number of counted ids up to it. */
        void advance(Member member, String messageId) {
            if (member.readId != null && member.readId.compareTo(messageId) >= 0) {
                return;
            }
            member.readId = messageId;
            member.readCount = ids.headSet(messageId, true).size();
        }

        Conversation view(ConversationId id, Member member) {
            Instant activity =
                    last == null || last.createdAt().isBefore(member.joinedAt) ? member.joinedAt : last.createdAt();
            return new Conversation(id, last, ids.size() - member.readCount, member.readId, activity);
        }
    }

    private static final class Member {
        final Instant joinedAt;
        String readId;
        long readCount;

        Member(Instant joinedAt) {
            this.joinedAt = joinedAt;
        }
    }
}
