package io.fatechat.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node acking at {@link AckPoint#HISTORY} groups its messages into commits, immutable. Build with
 * {@link #builder()}; every setter validates its value and names it in the error.
 *
 * @param delay how long a commit waits for more messages after the first, 0 to 100 ms; none by default, since
 *        batches form anyway while the previous commit runs (as in PostgreSQL's and MySQL's group commit) and a
 *        wait only pays when one commit costs far more than the wait
 * @param maxBatch the most messages in one commit, 1 to 10,000 (default 1,000)
 * @param queueCapacity the most messages waiting for a commit, 1 to 1,000,000 (default 10,000); beyond it a send
 *        fails as unavailable instead of growing the heap while the store is slow or down
 */
public record GroupCommit(Duration delay, int maxBatch, int queueCapacity) {

    public static final GroupCommit DEFAULTS = builder().build();

    public GroupCommit {
        Objects.requireNonNull(delay, "delay must not be null");
        if (delay.isNegative() || delay.compareTo(Duration.ofMillis(100)) > 0) {
            throw new IllegalArgumentException("delay must be between 0 and 100 ms, was " + delay);
        }
        if (maxBatch < 1 || maxBatch > 10_000) {
            throw new IllegalArgumentException("maxBatch must be between 1 and 10000, was " + maxBatch);
        }
        if (queueCapacity < 1 || queueCapacity > 1_000_000) {
            throw new IllegalArgumentException("queueCapacity must be between 1 and 1000000, was " + queueCapacity);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link GroupCommit}; the record's constructor validates. */
    public static final class Builder {
        private Duration delay = Duration.ZERO;
        private int maxBatch = 1_000;
        private int queueCapacity = 10_000;

        private Builder() {}

        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        public Builder maxBatch(int messages) {
            this.maxBatch = messages;
            return this;
        }

        public Builder queueCapacity(int messages) {
            this.queueCapacity = messages;
            return this;
        }

        public GroupCommit build() {
            return new GroupCommit(delay, maxBatch, queueCapacity);
        }
    }
}
