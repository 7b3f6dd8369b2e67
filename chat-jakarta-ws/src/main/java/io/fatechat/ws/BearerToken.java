package io.fatechat.ws;

import java.util.regex.Pattern;

/**
 * The one reading of an {@code Authorization} header, for REST calls and Socket.IO handshakes alike: the value
 * with or without a {@code Bearer} prefix in any case (the original front-end sends {@code BEARER}).
 */
final class BearerToken {

    private static final Pattern BEARER_PREFIX = Pattern.compile("^(?i:bearer)(?:\\s+|$)");

    private BearerToken() {}

    /** The token in {@code header}, or {@code null} when the header is absent or carries none. */
    static String fromAuthorizationHeader(String header) {
        String value = nonBlank(header);
        if (value == null) {
            return null;
        }
        return nonBlank(BEARER_PREFIX.matcher(value).replaceFirst(""));
    }

    /** {@code value} stripped, or {@code null} when it is null or blank. */
    static String nonBlank(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
