package io.fatechat.examples.server;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The contract's error body, {@code {"error": "...", "code": "..."}}, for an HTTP status the container decided. */
final class JsonErrorBody {

    private JsonErrorBody() {}

    /** The wire code of a status, as the REST API names it. */
    static String code(int status) {
        return switch (status) {
            case 400 -> "invalid_input";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "invalid_input";
        };
    }

    /** A short message safe to show: the status's reason, never an exception's text. */
    static String message(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 404 -> "no such endpoint";
            case 405 -> "method not allowed";
            case 408 -> "request not received in time";
            case 413 -> "request too large";
            case 415 -> "unsupported media type";
            case 503 -> "service unavailable";
            default -> status >= 500 ? "internal error" : "request refused (" + status + ")";
        };
    }

    static byte[] bytes(int status) {
        return ("{\"error\":\"" + message(status) + "\",\"code\":\""
                        + code(status).toLowerCase(Locale.ROOT) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
