package io.fatechat.spi;

/**
 * Why a request was refused, as a stable machine-readable code.
 *
 * <p>{@link #wireName()} is what clients see in {@code {"ok":false,"error":{"code":...}}} and in REST error
 * bodies; transports map each code to their own status (the REST layer to HTTP statuses).
 */
public enum ErrorCode {
    /** A field is missing, empty, malformed or out of range. */
    INVALID_INPUT("invalid_input"),
    /** A message is longer than the configured limit. */
    MESSAGE_TOO_LONG("message_too_long"),
    /** No valid credentials or token. */
    UNAUTHORIZED("unauthorized"),
    /** Authenticated, but not allowed to do this (e.g. read someone else's private conversation). */
    FORBIDDEN("forbidden"),
    /** The caller must join the room before doing this. */
    NOT_IN_ROOM("not_in_room"),
    /** The named room, user or conversation does not exist. */
    NOT_FOUND("not_found"),
    /** The name or e-mail is already taken. */
    CONFLICT("conflict"),
    /** Too many requests, or too many rooms on one connection. */
    RATE_LIMITED("rate_limited"),
    /** A backend (bus, database, cache) cannot serve the request right now; retrying later may work. */
    UNAVAILABLE("unavailable"),
    /** The component has been closed. */
    CLOSED("closed"),
    /** A bug or an unexpected failure; details are logged, never sent to clients. */
    INTERNAL("internal");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    /** The code as clients see it, in snake case. */
    public String wireName() {
        return wireName;
    }
}
