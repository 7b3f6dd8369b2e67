package io.fatechat.core;

import io.fatechat.core.internal.BusEvent;
import io.fatechat.core.internal.WireCodec;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.support.ChatMessageJson;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The way in: turns the bus's broadcast records into calls on this node's {@link ChatEventSink}s. */
final class Delivery implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    private final EngineContext context;
    private final PresenceStore presence;
    private final Outbox outbox;
    private final List<ChatEventSink> sinks = new CopyOnWriteArrayList<>();
    private final Consumer<BusEvent.Revoke> revocations;
    /**
     * Re-reads a room's online users when a presence event arrives. Snapshots published by different nodes
     * can arrive out of order, so the event only says "this room changed"; one pending read per room at a
     * time coalesces bursts, and the read that runs last sees the newest state.
     */
    private final ExecutorService presenceReader;

    private final Set<String> presenceReadsPending = ConcurrentHashMap.newKeySet();
    /** Where conversation events go; set once by the engine after both are built. */
    private volatile java.util.function.Consumer<BusEvent> conversationEvents = event -> {};

    Delivery(EngineContext context, PresenceStore presence, Outbox outbox, Consumer<BusEvent.Revoke> revocations) {
        this.revocations = revocations;
        this.context = context;
        this.presence = presence;
        this.outbox = outbox;
        this.presenceReader = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fatechat-presence-" + context.nodeId());
            thread.setDaemon(true);
            return thread;
        });
    }

    AutoCloseable attach(ChatEventSink sink) {
        Objects.requireNonNull(sink, "sink");
        sinks.add(sink);
        return () -> sinks.remove(sink);
    }

    /** Tells every sink to cut off a connection the engine closed (see {@link ChatEventSink#disconnect}). */
    void disconnect(String connectionId, String reason) {
        for (ChatEventSink sink : sinks) {
            try {
                sink.disconnect(connectionId, reason);
            } catch (RuntimeException e) {
                log.warn("Sink {} failed to disconnect {}", sink, connectionId, e);
            }
        }
    }

    void routeConversationEvents(java.util.function.Consumer<BusEvent> listener) {
        this.conversationEvents = Objects.requireNonNull(listener, "listener");
    }

    boolean hasSinks() {
        return !sinks.isEmpty();
    }

    /** Calls {@code delivery} on every sink; a failing sink is logged and skipped. */
    void forEachSink(java.util.function.Consumer<ChatEventSink> delivery) {
        for (ChatEventSink sink : sinks) {
            try {
                delivery.accept(sink);
            } catch (RuntimeException e) {
                log.warn("Sink {} failed on a conversation event", sink, e);
            }
        }
    }

    /** Broadcast listener of the messages topic. */
    void onMessageRecord(BusRecord record) {
        ChatMessage message;
        try {
            message = ChatMessageJson.decode(record.payload());
        } catch (IllegalArgumentException e) {
            log.warn("Skipping a malformed record on the messages topic (key {}): {}", record.key(), e.getMessage());
            return;
        }
        if (!outbox.firstSighting(message)) {
            log.debug(
                    "Dropping duplicate {} of client id {} from {}",
                    message.id(),
                    message.clientId(),
                    message.sender());
            return;
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
        Duration latency = Duration.between(message.createdAt(), context.clock().instant());
        context.metrics().messageDelivered(latency.isNegative() ? Duration.ZERO : latency);
    }

    /** Broadcast listener of the events topic. */
    void onEventRecord(BusRecord record) {
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
        if (event instanceof BusEvent.Revoke r) {
            revocations.accept(r);
            return;
        }
        if (event instanceof BusEvent.ConversationRead
                || event instanceof BusEvent.ConversationRecorded
                || event instanceof BusEvent.ConversationMembership) {
            conversationEvents.accept(event);
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
        if (sinks.isEmpty() || context.isClosed() || !presenceReadsPending.add(room)) {
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

    @Override
    public void close() {
        presenceReader.shutdownNow();
    }
}
