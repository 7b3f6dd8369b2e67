package io.fatechat.mysql;

import io.fatechat.spi.ChatException;
import io.fatechat.spi.ErrorCode;

/**
 * The database refused a statement for a reason other than an outage or a duplicate key: a schema that does not
 * match, a permission missing, a bug. Not worth retrying. The message names the operation only; the cause
 * carries the driver's error (with SQL) for the logs.
 */
public class JdbcStoreException extends ChatException {

    private static final long serialVersionUID = 1L;

    public JdbcStoreException(String message, Throwable cause) {
        super(ErrorCode.INTERNAL, message, cause);
    }
}
