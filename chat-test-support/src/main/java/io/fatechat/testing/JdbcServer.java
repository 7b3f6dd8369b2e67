package io.fatechat.testing;

import java.net.URI;
import java.util.Objects;

/**
 * A MySQL-protocol server (MariaDB or MySQL) the tests may create databases on.
 *
 * @param url the server's JDBC URL without a database, e.g. {@code jdbc:mysql://127.0.0.1:3306}
 * @param user a user allowed to create and drop databases
 * @param password its password, empty for none
 * @param label what it is, for test names and messages, e.g. {@code MariaDB (local)}
 */
public record JdbcServer(String url, String user, String password, String label) {

    public JdbcServer {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(label, "label");
    }

    /** The URL scheme after {@code jdbc:}, e.g. {@code mysql}. */
    public String scheme() {
        return uri().getScheme();
    }

    /** The server's host. */
    public String host() {
        return uri().getHost();
    }

    /** The server's port (3306 when the URL names none). */
    public int port() {
        int port = uri().getPort();
        return port < 0 ? 3306 : port;
    }

    /** The URL's query, with its {@code ?}, or an empty string. */
    public String query() {
        String query = uri().getRawQuery();
        return query == null ? "" : "?" + query;
    }

    /** The JDBC URL of database {@code name} on this server, reached at {@code host:port}. */
    public String databaseUrl(String host, int port, String name) {
        return "jdbc:" + scheme() + "://" + host + ":" + port + "/" + name + query();
    }

    private URI uri() {
        return URI.create(url.replaceFirst("(?i)^jdbc:", ""));
    }
}
