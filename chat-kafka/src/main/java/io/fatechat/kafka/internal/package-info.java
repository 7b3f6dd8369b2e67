/**
 * How {@link io.fatechat.kafka.KafkaMessageBus} drives the Kafka clients. Not API: anything here may change
 * in any release.
 */
package io.fatechat.kafka.internal;
