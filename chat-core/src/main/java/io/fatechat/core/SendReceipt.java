package io.fatechat.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What the sender's ack carries once the message is durable (see {@link AckPoint}).
 *
 * @param id the message id (the original one when this was a re-send of a known client id)
 * @param createdAt the message's time
 * @param duplicate true when the send was recognised as a re-send and nothing new was published
 */
public record SendReceipt(String id, Instant createdAt, boolean duplicate) {

    public SendReceipt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
