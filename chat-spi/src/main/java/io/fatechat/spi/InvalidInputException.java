package io.fatechat.spi;

/** A request field is missing, empty, malformed or out of range. */
public class InvalidInputException extends ChatException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidInputException(String field, String reason) {
        this(ErrorCode.INVALID_INPUT, field, reason);
    }

    protected InvalidInputException(ErrorCode code, String field, String reason) {
        super(code, field + ": " + reason);
        this.field = field;
    }

    /** The name of the offending field as the client sent it, e.g. {@code roomName}. */
    public String field() {
        return field;
    }
}
