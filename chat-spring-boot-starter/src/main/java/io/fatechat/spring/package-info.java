/**
 * Spring Boot auto-configuration of Fatechat: {@link io.fatechat.spring.FatechatProperties} ({@code fatechat.*}),
 * one auto-configuration per backend (in-memory, Kafka, Redis, JDBC), and the {@link io.fatechat.core.ChatEngine}
 * built from whichever extension-point beans exist.
 */
package io.fatechat.spring;
