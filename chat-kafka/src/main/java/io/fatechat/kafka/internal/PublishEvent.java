package io.fatechat.kafka.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One publish, from {@code publish()} to the broker's acknowledgement: the JFR event behind the per-stage
 * breakdown of {@code scripts/bench/kafka.sh}. Off unless a recording enables it; while it is on, each record
 * carries its publish time in the {@value StageClock#HEADER} header so the consuming nodes can time the transit.
 */
@Name("io.fatechat.kafka.Publish")
@Label("Kafka publish")
@Category({"Fatechat", "Kafka"})
@Description("A bus publish: waiting for the sender thread, producer.send, and the broker's acknowledgement")
@StackTrace(false)
final class PublishEvent extends jdk.jfr.Event {

    @Label("Topic")
    String topic;

    @Label("Queued")
    @Description("From publish() until the sender thread called producer.send")
    @Timespan(Timespan.NANOSECONDS)
    long queued;

    @Label("Send call")
    @Description("Time spent inside producer.send (metadata, buffer space, serializing)")
    @Timespan(Timespan.NANOSECONDS)
    long send;

    @Label("Broker ack")
    @Description("From producer.send returning until the acknowledgement callback ran")
    @Timespan(Timespan.NANOSECONDS)
    long ack;

    @Label("Failed")
    boolean failed;
}
