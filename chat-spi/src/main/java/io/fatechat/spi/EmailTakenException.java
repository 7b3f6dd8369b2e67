package io.fatechat.spi;

/** A user with this e-mail (compared case-insensitively) is already registered. */
public class EmailTakenException extends ConflictException {

    private static final long serialVersionUID = 1L;

    private final String email;

    public EmailTakenException(String email) {
        super("e-mail '" + email + "' is already registered");
        this.email = email;
    }

    public String email() {
        return email;
    }
}
