/**
 * The chat engine: {@link io.fatechat.core.ChatEngine} holds every chat rule, auth and limit and knows no
 * transport; a transport opens one {@link io.fatechat.core.ChatConnection} per client and receives deliveries
 * through a {@link io.fatechat.core.ChatEventSink}. In-memory implementations of every SPI live in
 * {@code io.fatechat.core.memory}.
 */
package io.fatechat.core;
