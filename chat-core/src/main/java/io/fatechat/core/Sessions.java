package io.fatechat.core;

import io.fatechat.core.internal.BusEvent;
import io.fatechat.core.internal.Completions;
import io.fatechat.core.internal.WireCodec;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revoked sessions: a revocation says "every token of this user issued until now is void". It is stored with the
 * user ({@link io.fatechat.spi.UserStore#revokeTokens}) before anything else, so every node, including one that
 * starts later or restarts, refuses those tokens through the user look-up of {@link Accounts#authenticate} (cached
 * per node, the store behind every miss). It then travels on the events topic, so every node moves its cached
 * entry forward at once and closes the user's open connections, telling their transport to cut them off.
 */
final class Sessions {

    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    private final EngineContext context;
    private final Accounts accounts;
    private final LocalConnections connections;
    private final Outbox outbox;
    private final BiConsumer<String, String> disconnect;

    Sessions(
            EngineContext context,
            Accounts accounts,
            LocalConnections connections,
            Outbox outbox,
            BiConsumer<String, String> disconnect) {
        this.context = context;
        this.accounts = accounts;
        this.connections = connections;
        this.outbox = outbox;
        this.disconnect = disconnect;
    }

    /**
     * Revokes every token of {@code user} issued until now: stored first (a store failure fails the call and
     * revokes nothing), then here at once and on every other node by the bus.
     */
    CompletionStage<Void> revoke(String user) {
        BusEvent.Revoke revoke = new BusEvent.Revoke(user, context.clock().millis());
        accounts.revoke(user, revoke.beforeMillis());
        closeConnections(user);
        return outbox.publish(new BusRecord(BusTopic.EVENTS, "user:" + user, WireCodec.encodeEvent(revoke)))
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        log.warn(
                                "Could not publish the revocation of {}'s sessions; it is stored, but other "
                                        + "nodes keep their open connections and may accept the tokens until their cached "
                                        + "entry of the user goes",
                                user,
                                Completions.unwrap(failure));
                    }
                });
    }

    /** A revocation from any node (this one included): update the cached user and end their connections here. */
    void apply(BusEvent.Revoke revoke) {
        accounts.revoked(revoke.user(), revoke.beforeMillis());
        closeConnections(revoke.user());
    }

    private void closeConnections(String user) {
        for (LocalConnection connection : connections.all()) {
            if (connection.user().equals(user)) {
                connection.close();
                disconnect.accept(connection.id(), "unauthorized");
            }
        }
    }
}
