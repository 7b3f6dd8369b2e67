package io.fatechat.core;

import io.fatechat.core.internal.BusEvent;
import io.fatechat.core.memory.InMemoryConversationStore;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.core.memory.InMemoryMessageBus;
import io.fatechat.core.memory.InMemoryPresenceStore;
import io.fatechat.core.memory.InMemoryRecoverySessionStore;
import io.fatechat.core.memory.InMemoryRoomStore;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.BusSubscription;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.ConversationStore;
import io.fatechat.spi.HistoryStore;
import io.fatechat.spi.MessageBus;
import io.fatechat.spi.PresenceStore;
import io.fatechat.spi.RoomStore;
import io.fatechat.spi.UserStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collaborators of one {@link ChatEngine}, wired together from its builder, and their lifecycle: the bus
 * subscriptions, the presence lease, the maintenance schedule and the order of shutdown. The engine is the
 * facade over it; nothing here is public.
 */
final class EngineRuntime {

    private static final Logger log = LoggerFactory.getLogger(EngineRuntime.class);
    private static final Duration CLOSE_PUBLISH_WAIT = Duration.ofSeconds(2);

    final EngineContext context;
    final AckPoint ackPoint;
    final HistoryStore history;
    final PresenceStore presence;
    final Accounts accounts;
    final RoomDirectory rooms;
    final Outbox outbox;
    final Delivery delivery;
    final ActionLimiter limiter;
    final Sessions sessions;
    final PresenceKeeper keeper;
    final LocalConnections connections;
    final Conversations conversations;
    /** SPIs the builder created itself; closed with the engine, in reverse order. */
    private final List<AutoCloseable> owned = new ArrayList<>();

    private final List<BusSubscription> subscriptions = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    final SessionRecovery recovery;

    /** Wires and starts everything; on a failure, stops what had started and rethrows. */
    EngineRuntime(ChatEngine.Builder b) {
        String nodeId = b.nodeId != null ? b.nodeId : "node-" + LocalConnections.randomBase36(8);
        this.context = new EngineContext(nodeId, b.limits, b.clock, b.metrics);
        MessageBus bus = b.messageBus != null ? b.messageBus : own(new InMemoryMessageBus());
        this.presence = b.presenceStore != null ? b.presenceStore : own(new InMemoryPresenceStore(b.clock));
        this.history = b.historyStore != null ? b.historyStore : own(new InMemoryHistoryStore());
        UserStore users = b.userStore != null ? b.userStore : own(new InMemoryUserStore());
        RoomStore roomStore = b.roomStore != null ? b.roomStore : own(new InMemoryRoomStore(b.clock));
        this.accounts = Accounts.create(
                context, users, b.tokenSecret, b.previousTokenSecrets, b.tokenTtl, b.bcryptCost, b.userCacheCapacity);
        this.rooms = new RoomDirectory(roomStore);
        this.connections = new LocalConnections(context);
        this.ackPoint = resolve(b.ackPoint, bus, b.persistHistory);
        this.outbox = new Outbox(
                context, bus, history, ackPoint == AckPoint.HISTORY ? b.groupCommit : null, b.unreadPushInterval);
        this.delivery = new Delivery(context, presence, outbox, this::onRevocation);
        this.limiter = new ActionLimiter(context, delivery);
        this.sessions = new Sessions(context, accounts, connections, outbox, delivery::disconnect);
        this.keeper = new PresenceKeeper(context, presence, outbox, connections, b.presenceLeaseTtl);
        ConversationStore conversationStore =
                b.conversationStore != null ? b.conversationStore : own(new InMemoryConversationStore(b.clock));
        this.conversations = new Conversations(
                context, conversationStore, outbox, connections, rooms, delivery, b.unreadPushInterval);
        delivery.routeConversationEvents(conversations::onEvent);
        outbox.recordCommitted(conversations::record);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fatechat-engine-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        this.recovery = new SessionRecovery(
                context,
                b.recovery,
                b.recoverySessionStore != null ? b.recoverySessionStore : own(new InMemoryRecoverySessionStore()),
                history,
                conversationStore,
                scheduler,
                this::open);
        try {
            subscriptions.add(bus.subscribeBroadcast(BusTopic.MESSAGES, delivery::onMessageRecord));
            subscriptions.add(bus.subscribeBroadcast(BusTopic.EVENTS, delivery::onEventRecord));
            if (b.persistHistory && ackPoint == AckPoint.BUS) {
                // With AckPoint.HISTORY each node has stored its own messages before publishing them.
                subscriptions.add(bus.subscribeShared(
                        BusTopic.MESSAGES, ChatEngine.PERSISTER_GROUP, new Persister(history, conversations)::persist));
            }
            keeper.takeLease();
            long period = Math.max(1, b.presenceLeaseTtl.toMillis() / 3);
            scheduler.scheduleWithFixedDelay(this::maintain, period, period, TimeUnit.MILLISECONDS);
        } catch (RuntimeException | Error e) {
            shutdownQuietly();
            throw e;
        }
    }

    /** A revocation from the bus (any node's); bus threads start only once every field here is set. */
    private void onRevocation(BusEvent.Revoke revoke) {
        sessions.apply(revoke);
    }

    private static AckPoint resolve(AckPoint requested, MessageBus bus, boolean persistHistory) {
        boolean ackOnBus = bus.durable() || !persistHistory;
        return requested != AckPoint.AUTO ? requested : ackOnBus ? AckPoint.BUS : AckPoint.HISTORY;
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    /** Opens a connection of {@code email} under {@code chosenId}, or a new id when null. */
    LocalConnection open(String email, String chosenId) {
        context.ensureOpen();
        String id = chosenId != null ? chosenId : connections.newId();
        LocalConnection connection = new LocalConnection(
                id,
                email,
                context,
                connections,
                rooms,
                accounts,
                outbox,
                keeper,
                presence,
                history,
                limiter,
                conversations);
        connections.add(connection);
        return connection;
    }

    /**
     * Stops subscriptions and the lease, removes this node's presence, closes the SPIs the builder created.
     * Open connections are closed without leave event messages. Idempotent.
     *
     * @return false when the engine was closed already
     */
    boolean close() {
        if (!context.markClosed()) {
            return false;
        }
        scheduler.shutdownNow();
        recovery.close();
        for (LocalConnection connection : connections.all()) {
            connection.markClosed();
        }
        keeper.removeNode(CLOSE_PUBLISH_WAIT);
        shutdownQuietly();
        return true;
    }

    private void shutdownQuietly() {
        scheduler.shutdownNow();
        recovery.close(); // again after close(), harmlessly; on a failed start it stops the recovery writer's thread
        keeper.close();
        outbox.close(); // commits and publishes what is waiting, while the bus is still open
        delivery.close();
        conversations.close();
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

    /** Every third of the lease: presence upkeep, then idle rate buckets. */
    private void maintain() {
        try {
            keeper.maintainOnce();
            outbox.sweepIdleBuckets();
            limiter.sweepIdleBuckets();
            conversations.sweepIdleBuckets();
        } catch (RuntimeException e) {
            // An escaping exception would cancel the schedule and with it the lease.
            log.error("Presence maintenance of node {} failed", context.nodeId(), e);
        }
    }
}
