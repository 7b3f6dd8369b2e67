package io.fatechat.spi;

/** A message text is longer than the configured limit. */
public class MessageTooLongException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    private final int length;
    private final int maxLength;

    public MessageTooLongException(int length, int maxLength) {
        super(ErrorCode.MESSAGE_TOO_LONG, "message", "is " + length + " characters long, the limit is " + maxLength);
        this.length = length;
        this.maxLength = maxLength;
    }

    public int length() {
        return length;
    }

    public int maxLength() {
        return maxLength;
    }
}
