/**
 * The Fatechat message bus on Apache Kafka: {@link io.fatechat.kafka.KafkaMessageBus}, configured by
 * {@link io.fatechat.kafka.KafkaBusConfig}.
 */
package io.fatechat.kafka;
