package io.fatechat.kafka.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One record handed to a broadcast listener: how long it travelled from the publishing node's
 * {@code publish()} (its {@value StageClock#HEADER} header) until this node's poll returned it, how long it then
 * waited behind earlier records of the same poll, and how long the listener took. Off unless a recording enables
 * it; records without the header (published while the event was off) report a transit of -1.
 */
@Name("io.fatechat.kafka.Consume")
@Label("Kafka broadcast delivery")
@Category({"Fatechat", "Kafka"})
@Description("A broadcast record: transit from publish to this node's poll, wait in the poll batch, listener time")
@StackTrace(false)
final class ConsumeEvent extends jdk.jfr.Event {

    @Label("Topic")
    String topic;

    @Label("Transit")
    @Description("From publish() on the sending node until this node's poll returned the record (wall clocks)")
    @Timespan(Timespan.NANOSECONDS)
    long transit;

    @Label("Batch wait")
    @Description("From the poll returning until the listener got this record")
    @Timespan(Timespan.NANOSECONDS)
    long batchWait;

    @Label("Listener")
    @Description("Time the broadcast listener took for this record (decode and hand-off to the sockets)")
    @Timespan(Timespan.NANOSECONDS)
    long listener;

    @Label("Records in poll")
    int pollSize;
}
