package io.fatechat.ws;

import io.fatechat.spi.ErrorCode;

/** The HTTP status of each {@link ErrorCode}, as the REST API answers it. */
public final class ChatHttpStatus {

    private ChatHttpStatus() {}

    /** 400, 401, 403, 404, 409, 413, 429 for refused input; 503 while a backend is unavailable; 500 for bugs. */
    public static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_INPUT -> 400;
            case MESSAGE_TOO_LONG -> 413;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN, NOT_IN_ROOM -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE, CLOSED -> 503;
            case INTERNAL -> 500;
        };
    }
}
