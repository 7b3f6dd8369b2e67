/** Micrometer meters for the engine's and the Socket.IO layer's metric hooks. */
package io.fatechat.spring.metrics;
