package io.fatechat.spi;

/** A name or e-mail that must be unique is already taken. */
public class ConflictException extends ChatException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(ErrorCode.CONFLICT, message);
    }
}
