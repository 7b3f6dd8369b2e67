package io.fatechat.spi;

/** The caller could not be authenticated: no token, a bad token, or wrong credentials. */
public class AuthenticationException extends ChatException {

    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(ErrorCode.UNAUTHORIZED, message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(ErrorCode.UNAUTHORIZED, message, cause);
    }
}
