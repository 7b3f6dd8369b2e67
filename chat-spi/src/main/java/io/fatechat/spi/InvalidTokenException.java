package io.fatechat.spi;

/** A token is missing, expired, malformed or not signed by this deployment. */
public class InvalidTokenException extends AuthenticationException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public InvalidTokenException(Reason reason) {
        this(reason, null);
    }

    public InvalidTokenException(Reason reason, Throwable cause) {
        super(reason.description(), cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Why the token was refused. */
    public enum Reason {
        MISSING("token is missing"),
        EXPIRED("token has expired"),
        INVALID("token is malformed or its signature does not verify"),
        REVOKED("token has been revoked (logged out)");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
