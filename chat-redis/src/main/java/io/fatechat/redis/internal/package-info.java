/** Implementation details of {@code io.fatechat.redis}; nothing here is API. */
package io.fatechat.redis.internal;
