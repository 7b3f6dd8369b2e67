package io.fatechat.spi;

/**
 * Login failed. Deliberately does not say whether the e-mail is unknown or the password wrong, so that
 * accounts cannot be enumerated.
 */
public class InvalidCredentialsException extends AuthenticationException {

    private static final long serialVersionUID = 1L;

    public InvalidCredentialsException() {
        super("Invalid credentials");
    }
}
