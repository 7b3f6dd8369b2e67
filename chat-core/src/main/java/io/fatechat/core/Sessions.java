package io.fatechat.core;

import io.fatechat.core.internal.BoundedCache;
import io.fatechat.core.internal.BusEvent;
import io.fatechat.core.internal.Completions;
import io.fatechat.core.internal.TokenSigner;
import io.fatechat.core.internal.WireCodec;
import io.fatechat.spi.BusRecord;
import io.fatechat.spi.BusTopic;
import io.fatechat.spi.InvalidTokenException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revoked sessions: a revocation says "every token of this user issued until now is void". It travels on the
 * events topic, so every node (through Kafka in a distributed deployment) refuses those tokens and closes the
 * user's open connections, telling their transport to cut them off.
 *
 * <p>Revocations are held in memory for as long as a node runs, at most {@value #CAPACITY} users (the oldest go
 * first); a node that starts after a revocation does not know it, so keep token lifetimes short where that
 * matters.
 */
final class Sessions {

    private static final Logger log = LoggerFactory.getLogger(Sessions.class);
    static final int CAPACITY = 100_000;

    private final EngineContext context;
    private final LocalConnections connections;
    private final Outbox outbox;
    private final BiConsumer<String, String> disconnect;
    /** user -> tokens issued at or before this time (epoch milliseconds) are revoked. */
    private final BoundedCache<String, Long> revokedBefore = new BoundedCache<>(CAPACITY);

    Sessions(EngineContext context, LocalConnections connections, Outbox outbox,
            BiConsumer<String, String> disconnect) {
        this.context = context;
        this.connections = connections;
        this.outbox = outbox;
        this.disconnect = disconnect;
    }

    /** The user of a verified token unless it was revoked. @throws InvalidTokenException (REVOKED) */
    String check(TokenSigner.Verified token) {
        Long before = revokedBefore.get(token.subject());
        if (before != null && token.issuedAtMillis() <= before) {
            throw new InvalidTokenException(InvalidTokenException.Reason.REVOKED);
        }
        return token.subject();
    }

    /** Revokes every token of {@code user} issued until now, here at once and on every other node by the bus. */
    CompletionStage<Void> revoke(String user) {
        BusEvent.Revoke revoke = new BusEvent.Revoke(user, context.clock().millis());
        apply(revoke);
        return outbox.publish(new BusRecord(BusTopic.EVENTS, "user:" + user, WireCodec.encodeEvent(revoke)))
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        log.warn("Could not publish the revocation of {}'s sessions; other nodes keep them until "
                                + "their tokens expire", user, Completions.unwrap(failure));
                    }
                });
    }

    /** A revocation from any node (this one included): remember it and end the user's connections here. */
    void apply(BusEvent.Revoke revoke) {
        synchronized (revokedBefore) {
            Long known = revokedBefore.get(revoke.user());
            if (known == null || known < revoke.beforeMillis()) {
                revokedBefore.put(revoke.user(), revoke.beforeMillis());
            }
        }
        for (LocalConnection connection : connections.all()) {
            if (connection.user().equals(revoke.user())) {
                connection.close();
                disconnect.accept(connection.id(), "unauthorized");
            }
        }
    }
}
