package io.fatechat.spring;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The database of the JDBC stores as the startup line names it, without credentials: e.g. {@code H2 file
 * ./data/fatechat} or {@code the application's DataSource (mysql://db:3306/app)}.
 *
 * @param label the words for the startup line
 */
public record FatechatJdbcDatabase(String label) {

    /** The application's own pool, named by the URL its connections report. */
    static FatechatJdbcDatabase application(DataSource dataSource) {
        String url;
        try (Connection connection = dataSource.getConnection()) {
            url = FatechatBackends.jdbcLabel(
                    String.valueOf(connection.getMetaData().getURL()));
        } catch (SQLException | RuntimeException e) {
            url = "unreachable now";
        }
        return new FatechatJdbcDatabase("the application's DataSource (" + url + ")");
    }
}
