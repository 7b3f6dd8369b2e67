/**
 * Implementation details of {@code chat-core}: input rules, the bus payload codec, token and password
 * handling, small bounded caches. Nothing here is API; it may change in any release.
 */
package io.fatechat.core.internal;
