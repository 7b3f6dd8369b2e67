package io.fatechat.mysql.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.argument.Argument;

/**
 * Instants in {@code DATETIME(6)} columns, as UTC wall-clock time. Bound and read as {@link LocalDateTime}
 * through {@code setObject}/{@code getObject}, which MySQL Connector/J and H2 pass through unchanged: no
 * conversion through the JVM's or the session's time zone, so daylight-saving gaps cannot shift a value.
 */
public final class SqlTime {

    private SqlTime() {
    }

    /** {@code instant} at the column's microsecond precision, so that what is returned equals what is read back. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    public static Argument argument(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofInstant(truncate(instant), ZoneOffset.UTC);
        return (position, statement, ctx) -> statement.setObject(position, utc);
    }

    public static Instant read(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
}
