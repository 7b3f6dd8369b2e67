package io.fatechat.spi;

/** The component was used after {@code close()}. */
public class ClosedException extends ChatException {

    private static final long serialVersionUID = 1L;

    private final String component;

    public ClosedException(String component) {
        super(ErrorCode.CLOSED, component + " is closed");
        this.component = component;
    }

    public String component() {
        return component;
    }
}
