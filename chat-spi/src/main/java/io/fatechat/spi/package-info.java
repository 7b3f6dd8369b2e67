/**
 * The extension points of Fatechat and the values they exchange.
 *
 * <p>A backend implements one or more of {@link io.fatechat.spi.MessageBus}, {@link io.fatechat.spi.PresenceStore},
 * {@link io.fatechat.spi.HistoryStore}, {@link io.fatechat.spi.UserStore}, {@link io.fatechat.spi.RoomStore} and
 * {@link io.fatechat.spi.ThrottleStore}, depends on this module only, and proves itself by extending the matching
 * compatibility kit of {@code chat-tck}.
 * Every deliberate failure is a {@link io.fatechat.spi.ChatException}.
 */
package io.fatechat.spi;
