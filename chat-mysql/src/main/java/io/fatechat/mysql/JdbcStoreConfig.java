package io.fatechat.mysql;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Immutable settings of {@link JdbcChatStores}. Build with {@link #builder(String)}; every setter validates its
 * argument and names it in the error.
 *
 * <p>Supported URLs: {@code jdbc:mysql://...} (MySQL 8, MariaDB 10.6+ through MySQL Connector/J),
 * {@code jdbc:mariadb://...} (when the host adds the MariaDB driver) and {@code jdbc:h2:...} with
 * {@code MODE=MySQL} (see {@link #h2FileUrl(String)}).
 */
public final class JdbcStoreConfig {

    /** The recommended URL of the embedded default: an H2 file under {@code ./data}, in MySQL mode. */
    public static final String DEFAULT_H2_URL = h2FileUrl("./data/fatechat");

    /** Prefix of every table name unless set: {@code fatechat_users}, {@code fatechat_rooms}, ... */
    public static final String DEFAULT_TABLE_PREFIX = "fatechat_";

    private static final Pattern TABLE_PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,31}|");

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final int maximumPoolSize;
    private final Duration connectionTimeout;
    private final Duration socketTimeout;
    private final String tablePrefix;
    private final boolean migrateSchema;

    private JdbcStoreConfig(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        this.username = b.username;
        this.password = b.password;
        this.maximumPoolSize = b.maximumPoolSize;
        this.connectionTimeout = b.connectionTimeout;
        this.socketTimeout = b.socketTimeout;
        this.tablePrefix = b.tablePrefix;
        this.migrateSchema = b.migrateSchema;
    }

    /** A builder for the database at {@code jdbcUrl}. */
    public static Builder builder(String jdbcUrl) {
        return new Builder().jdbcUrl(jdbcUrl);
    }

    /**
     * The H2 URL for a database file at {@code path} (without the {@code .mv.db} suffix), in the MySQL mode this
     * module's SQL needs. {@code DB_CLOSE_ON_EXIT=FALSE} leaves closing to {@link JdbcChatStores#close()} so that
     * a host's orderly shutdown can still flush history.
     */
    public static String h2FileUrl(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isBlank() || path.indexOf(';') >= 0) {
            throw new IllegalArgumentException("path must be a non-blank file path without ';': '" + path + "'");
        }
        return "jdbc:h2:file:" + path + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The database user, or null to take it from the URL. */
    public String username() {
        return username;
    }

    /** The password, or null. */
    public String password() {
        return password;
    }

    public int maximumPoolSize() {
        return maximumPoolSize;
    }

    /** How long a call waits for a pooled connection before it fails with {@code BackendUnavailableException}. */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** How long a MySQL/MariaDB connection waits on a silent server before it gives up (not used by H2). */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    public String tablePrefix() {
        return tablePrefix;
    }

    /** Whether the schema is created and migrated at start; when false it is only checked to be current. */
    public boolean migrateSchema() {
        return migrateSchema;
    }

    /** Whether the URL names an H2 database. */
    public boolean isH2() {
        return jdbcUrl.regionMatches(true, 0, "jdbc:h2:", 0, 8);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder()
                .jdbcUrl(jdbcUrl)
                .username(username)
                .password(password)
                .maximumPoolSize(maximumPoolSize)
                .connectionTimeout(connectionTimeout)
                .socketTimeout(socketTimeout)
                .tablePrefix(tablePrefix)
                .migrateSchema(migrateSchema);
    }

    @Override
    public String toString() {
        return "JdbcStoreConfig[jdbcUrl=" + redact(jdbcUrl) + ", username=" + username
                + ", password=" + (password == null ? "null" : "****")
                + ", maximumPoolSize=" + maximumPoolSize + ", connectionTimeout=" + connectionTimeout
                + ", socketTimeout=" + socketTimeout + ", tablePrefix=" + tablePrefix
                + ", migrateSchema=" + migrateSchema + "]";
    }

    /** Builds a {@link JdbcStoreConfig}. */
    public static final class Builder {
        private String jdbcUrl;
        private String username;
        private String password;
        private int maximumPoolSize = 10;
        private Duration connectionTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(30);
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean migrateSchema = true;

        private Builder() {}

        /** Required: {@code jdbc:mysql://host:3306/db}, {@code jdbc:mariadb://...} or {@code jdbc:h2:...;MODE=MySQL}. */
        public Builder jdbcUrl(String value) {
            Objects.requireNonNull(value, "jdbcUrl");
            String lower = value.toLowerCase(Locale.ROOT);
            if (!(lower.startsWith("jdbc:mysql:")
                    || lower.startsWith("jdbc:mariadb:")
                    || lower.startsWith("jdbc:h2:"))) {
                throw new IllegalArgumentException(
                        "jdbcUrl must start with jdbc:mysql:, jdbc:mariadb: or jdbc:h2:, was '" + redact(value) + "'");
            }
            if (lower.startsWith("jdbc:h2:") && !lower.contains("mode=mysql")) {
                throw new IllegalArgumentException(
                        "an H2 jdbcUrl must set MODE=MySQL (see JdbcStoreConfig.h2FileUrl), was '" + redact(value)
                                + "'");
            }
            this.jdbcUrl = value;
            return this;
        }

        /** The database user; null (the default) leaves it to the URL. */
        public Builder username(String value) {
            this.username = value == null || value.isEmpty() ? null : value;
            return this;
        }

        /** The password; null (the default) for none. */
        public Builder password(String value) {
            this.password = value;
            return this;
        }

        /** Connections in the pool, 2 to 1000 (default 10): schema migration holds two at once. */
        public Builder maximumPoolSize(int value) {
            if (value < 2 || value > 1000) {
                throw new IllegalArgumentException("maximumPoolSize must be between 2 and 1000, was " + value);
            }
            this.maximumPoolSize = value;
            return this;
        }

        /** 250 ms to 60 s (default 2 s): how long a call waits for a connection while the database is down. */
        public Builder connectionTimeout(Duration value) {
            Objects.requireNonNull(value, "connectionTimeout");
            if (value.compareTo(Duration.ofMillis(250)) < 0 || value.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("connectionTimeout must be between 250ms and 60s, was " + value);
            }
            this.connectionTimeout = value;
            return this;
        }

        /** 1 s to 1 h (default 30 s): the longest a MySQL/MariaDB statement may wait on a silent server. */
        public Builder socketTimeout(Duration value) {
            Objects.requireNonNull(value, "socketTimeout");
            if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("socketTimeout must be between 1s and 1h, was " + value);
            }
            this.socketTimeout = value;
            return this;
        }

        /** Lower-case letters, digits and '_', starting with a letter, at most 32; "" for none (default "fatechat_"). */
        public Builder tablePrefix(String value) {
            Objects.requireNonNull(value, "tablePrefix");
            if (!TABLE_PREFIX.matcher(value).matches()) {
                throw new IllegalArgumentException(
                        "tablePrefix must be empty or match [a-z][a-z0-9_]{0,31}, was '" + value + "'");
            }
            this.tablePrefix = value;
            return this;
        }

        /** Whether to create and migrate the schema at start (default true); false for DBA-managed schemas. */
        public Builder migrateSchema(boolean value) {
            this.migrateSchema = value;
            return this;
        }

        public JdbcStoreConfig build() {
            if (jdbcUrl == null) {
                throw new IllegalStateException("jdbcUrl is required");
            }
            return new JdbcStoreConfig(this);
        }
    }

    /** The URL with any password parameter masked: URLs may carry one, and errors and logs must not. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }
}
