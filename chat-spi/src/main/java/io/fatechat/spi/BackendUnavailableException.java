package io.fatechat.spi;

/** A backend (message bus, database, cache) cannot serve the request right now. Retrying later may work. */
public class BackendUnavailableException extends ChatException {

    private static final long serialVersionUID = 1L;

    private final String backend;

    /**
     * @param backend which backend, e.g. {@code kafka}, {@code redis}, {@code jdbc}
     */
    public BackendUnavailableException(String backend, String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, backend + " is unavailable: " + message, cause);
        this.backend = backend;
    }

    public String backend() {
        return backend;
    }
}
