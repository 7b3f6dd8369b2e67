package io.fatechat.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fatechat.spi.BackendUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The direct path of {@link RecordSender} (issue 19): a publish is handed to the producer on the caller's thread
 * only when the producer cannot block and nothing earlier waits, else on the sender thread, in the callers' order.
 */
class RecordSenderTest {

    private static final String THREAD = "test-sender";

    /** Records which thread sent each record; a record keyed "block" holds its sender until released. */
    private static final class ThreadRecordingProducer extends MockProducer<String, byte[]> {
        final List<String> keys = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        ThreadRecordingProducer() {
            super(false, null, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            if ("block".equals(record.key())) {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            keys.add(record.key());
            threads.add(Thread.currentThread().getName());
            return super.send(record, callback);
        }

        String threadOf(String key) {
            synchronized (keys) {
                int i = keys.indexOf(key);
                return i < 0 ? null : threads.get(i);
            }
        }
    }

    private final ThreadRecordingProducer producer = new ThreadRecordingProducer();
    private final RecordSender sender =
            new RecordSender(producer, "test", THREAD, Duration.ofSeconds(30), 10_000, 32L * 1024 * 1024);

    @AfterEach
    void tearDown() {
        producer.release.countDown();
        sender.close();
    }

    private CompletableFuture<Void> send(String topic, String key) {
        return sender.send(new ProducerRecord<>(topic, key, new byte[] {1}));
    }

    /** Publishes one record to {@code topic} and acknowledges it: the topic's metadata is then known. */
    private void warmUp(String topic) {
        CompletableFuture<Void> first = send(topic, "warm-" + topic);
        await().until(() -> producer.threadOf("warm-" + topic) != null);
        assertThat(producer.threadOf("warm-" + topic))
                .as("a topic never acknowledged goes through the sender thread")
                .isEqualTo(THREAD);
        assertThat(producer.completeNext()).isTrue();
        assertThat(first).isCompleted();
    }

    @Test
    void onceATopicWasAcknowledgedItsPublishesAreSentOnTheCallersThread() {
        warmUp("a");

        CompletableFuture<Void> direct = send("a", "direct");

        assertThat(producer.threadOf("direct")).isEqualTo(Thread.currentThread().getName());
        assertThat(direct).isNotDone();
        assertThat(producer.completeNext()).isTrue();
        assertThat(direct).isCompleted();
    }

    @Test
    void aPublishWaitsBehindAnEarlierQueuedOneAndKeepsTheOrder() throws Exception {
        warmUp("a");
        CompletableFuture<Void> queued = send("b", "block"); // topic b is unknown: queued, and its send blocks
        producer.blocked.await();

        CompletableFuture<Void> later = send("a", "later");

        assertThat(producer.threadOf("later"))
                .as("not sent past the earlier publish")
                .isNull();
        producer.release.countDown();
        await().until(() -> producer.threadOf("later") != null);
        assertThat(producer.keys).containsExactly("warm-a", "block", "later");
        assertThat(producer.threadOf("later")).isEqualTo(THREAD);
        assertThat(producer.completeNext()).isTrue();
        assertThat(producer.completeNext()).isTrue();
        assertThat(queued).isCompleted();
        assertThat(later).isCompleted();
    }

    @Test
    void tooManyUnacknowledgedRecordsSendTheNextThroughTheSenderThread() {
        warmUp("a");
        for (int i = 0; i < RecordSender.DIRECT_MAX_UNACKED; i++) {
            send("a", "k" + i);
        }
        assertThat(producer.threadOf("k" + (RecordSender.DIRECT_MAX_UNACKED - 1)))
                .isEqualTo(Thread.currentThread().getName());

        send("a", "over");

        await().until(() -> producer.threadOf("over") != null);
        assertThat(producer.threadOf("over")).isEqualTo(THREAD);
    }

    @Test
    void whilePublishingFailsPublishesGoThroughTheSenderThread() {
        warmUp("a");
        CompletableFuture<Void> failing = send("a", "fails");
        assertThat(producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker gone")))
                .isTrue();
        assertThat(failing).isCompletedExceptionally();
        assertThatThrownBy(failing::join).hasCauseInstanceOf(BackendUnavailableException.class);
        assertThat(sender.isFailing()).isTrue();

        send("a", "after");

        await().until(() -> producer.threadOf("after") != null);
        assertThat(producer.threadOf("after")).isEqualTo(THREAD);
    }
}
