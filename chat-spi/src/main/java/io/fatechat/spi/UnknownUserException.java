package io.fatechat.spi;

/** No user is registered with this e-mail. */
public class UnknownUserException extends NotFoundException {

    private static final long serialVersionUID = 1L;

    private final String email;

    public UnknownUserException(String email) {
        super("unknown user '" + email + "'");
        this.email = email;
    }

    public String email() {
        return email;
    }
}
