package io.fatechat.mysql.internal;

import io.fatechat.mysql.JdbcStoreException;
import io.fatechat.spi.BackendUnavailableException;
import io.fatechat.spi.ChatException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.jdbi.v3.core.ConnectionException;

/** Sorts driver errors of MySQL, MariaDB and H2 into duplicate keys, outages and everything else. */
public final class SqlErrorClassifier {

    /** Vendor codes meaning "try again later": MySQL/MariaDB then H2. */
    private static final Set<Integer> UNAVAILABLE_CODES = Set.of(
            1040, // too many connections
            1053, // server shutdown in progress
            1205, // lock wait timeout
            1213, // deadlock
            1290, // --read-only (failover in progress)
            1836, // read-only mode
            2002, 2003, 2006, 2013, // cannot connect, server gone away, lost connection
            3572, // NOWAIT lock not granted
            50200, // H2 lock timeout
            90131, // H2 concurrent update
            57014, // H2 statement cancelled
            90020, // H2 database in use by another process
            90028, // H2 I/O error
            90067, // H2 connection broken
            90098, // H2 database closed
            90121, // H2 database already closed
            90135); // H2 database opened exclusively

    private SqlErrorClassifier() {}

    /** Whether {@code failure} was caused by a unique or primary key violation. */
    public static boolean isDuplicateKey(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                String state = e.getSQLState();
                int code = e.getErrorCode();
                if ("23505".equals(state) || code == 1062 || code == 1586) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code failure} means the database cannot be reached or cannot serve right now. */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException) {
                return true;
            }
            if (t instanceof SQLException e) {
                if (e instanceof SQLIntegrityConstraintViolationException) {
                    return false;
                }
                String state = e.getSQLState();
                if (e instanceof SQLTransientException
                        || e instanceof SQLRecoverableException
                        || e instanceof SQLNonTransientConnectionException
                        || (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("HYT00")))
                        || UNAVAILABLE_CODES.contains(e.getErrorCode())) {
                    return true;
                }
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** Vendor codes after which a connection is useless: MySQL/MariaDB then H2. */
    private static final Set<Integer> BROKEN_CONNECTION_CODES = Set.of(1053, 2006, 2013, 90028, 90067, 90098, 90121);

    /**
     * Whether the connection that raised {@code e} must be dropped from the pool. HikariCP evicts on SQL state
     * class 08 by itself, but H2 reports a broken connection as 90067, which it would keep.
     */
    public static boolean isConnectionBroken(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("08"))
                || BROKEN_CONNECTION_CODES.contains(e.getErrorCode())
                || (state != null && BROKEN_CONNECTION_CODES.contains(parse(state)));
    }

    private static int parse(String state) {
        try {
            return Integer.parseInt(state);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether {@code failure} is a lock not granted at once (NOWAIT) or in time. */
    public static boolean isLockNotGranted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                int code = e.getErrorCode();
                // 1205/3572: MySQL lock wait or NOWAIT; 50200: H2 lock timeout; 90131: H2 concurrent update
                if (code == 1205
                        || code == 1213
                        || code == 3572
                        || code == 50200
                        || code == 90131
                        || "40001".equals(e.getSQLState())
                        || e instanceof SQLTimeoutException
                        || e instanceof SQLTransactionRollbackException) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The {@link ChatException} to throw for {@code failure} while doing {@code operation} (e.g. "append history"):
     * {@link BackendUnavailableException} for outages, {@link JdbcStoreException} otherwise. Messages never
     * carry SQL.
     */
    public static ChatException translate(String operation, Exception failure) {
        if (failure instanceof ChatException chat) {
            return chat;
        }
        if (isUnavailable(failure)) {
            return new BackendUnavailableException(
                    "jdbc", "cannot " + operation + ": the database cannot be reached", failure);
        }
        return new JdbcStoreException("cannot " + operation + ": the database refused the statement", failure);
    }
}
