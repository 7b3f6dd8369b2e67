package io.fatechat.spi;

/** Authenticated, but not allowed to do this, e.g. read a private conversation one is not part of. */
public class AccessDeniedException extends ChatException {

    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(ErrorCode.FORBIDDEN, message);
    }
}
