package io.fatechat.mysql.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.argument.Argument;

/**
 * Instants in {@code DATETIME(6)} columns, as UTC wall-clock time, never converted through the JVM's or the
 * session's time zone (so daylight-saving gaps cannot shift a value).
 *
 * <p>Written as text: Connector/J takes MariaDB 10.x (which announces itself as "5.5.5-10...") for a server
 * without fractional seconds and drops the microseconds of a bound {@link LocalDateTime}; a
 * {@code 'yyyy-MM-dd HH:mm:ss.ffffff'} string is stored exactly by MySQL, MariaDB and H2. Read back as
 * {@link LocalDateTime}, which all three return in full.
 */
public final class SqlTime {

    private static final DateTimeFormatter SQL_DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private SqlTime() {}

    /** {@code instant} at the column's microsecond precision, so that what is returned equals what is read back. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    public static Argument argument(Instant instant) {
        String utc = format(instant);
        return (position, statement, ctx) -> statement.setString(position, utc);
    }

    /** The text to bind for {@code instant}. */
    public static String format(Instant instant) {
        return SQL_DATETIME.format(LocalDateTime.ofInstant(truncate(instant), ZoneOffset.UTC));
    }

    public static Instant read(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
}
