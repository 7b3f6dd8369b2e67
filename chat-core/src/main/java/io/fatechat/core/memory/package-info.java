/**
 * In-process implementations of every SPI: the embedded default's message bus and presence store, and test
 * doubles for the engine. Each passes its compatibility kit from {@code chat-tck}.
 */
package io.fatechat.core.memory;
