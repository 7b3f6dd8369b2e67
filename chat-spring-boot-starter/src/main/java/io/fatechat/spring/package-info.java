/**
 * Spring Boot auto-configuration of Fatechat: one auto-configuration per backend (in-memory, Kafka, Redis, JDBC),
 * each beside its properties class ({@code FatechatKafkaProperties} for {@code fatechat.kafka.*}, ...), and the
 * {@link io.fatechat.core.ChatEngine} built from whichever extension-point beans exist.
 */
package io.fatechat.spring;
