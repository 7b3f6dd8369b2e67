package io.fatechat.spi;

/** Something named in the request does not exist. */
public class NotFoundException extends ChatException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(ErrorCode.NOT_FOUND, message);
    }
}
