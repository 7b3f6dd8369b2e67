package io.fatechat.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The JDBC stores of users, rooms and history ({@code fatechat.jdbc.*}, chat-mysql on the class path): MySQL 8,
 * MariaDB 10.6+, or H2 in MySQL mode. Defaults are {@code JdbcStoreConfig}'s
 * ({@code FatechatJdbcAutoConfigurationTest} checks they agree).
 */
@ConfigurationProperties(prefix = "fatechat.jdbc")
public class FatechatJdbcProperties {

    /**
     * JDBC URL of the database for users, rooms and history, e.g. jdbc:mysql://db:3306/fatechat or
     * jdbc:h2:file:./data/fatechat;MODE=MySQL;DATABASE_TO_LOWER=TRUE; set, it wins over the application's
     * DataSource. Unset, the stores use the application's DataSource if it has one, else the H2 file
     * ./data/fatechat when H2 is on the class path, and memory otherwise.
     */
    private String url;

    /** Database user; unset leaves it to the URL. */
    private String username;

    /** Database password. */
    private String password;

    /** Connections in the pool (2 to 1000). */
    private int maximumPoolSize = 10;

    /** How long a call waits for a pooled connection while the database is down (250ms to 60s). */
    private Duration connectionTimeout = Duration.ofSeconds(2);

    /** How long a MySQL/MariaDB statement may wait on a silent server (1s to 1h; not used by H2). */
    private Duration socketTimeout = Duration.ofSeconds(30);

    /** Prefix of every table name. */
    private String tablePrefix = "fatechat_";

    /** Whether to create and migrate the schema at start; when false it is only checked. */
    private boolean migrateSchema = true;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public int getMaximumPoolSize() {
        return maximumPoolSize;
    }

    public void setMaximumPoolSize(int maximumPoolSize) {
        this.maximumPoolSize = maximumPoolSize;
    }

    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    public Duration getSocketTimeout() {
        return socketTimeout;
    }

    public void setSocketTimeout(Duration socketTimeout) {
        this.socketTimeout = socketTimeout;
    }

    public String getTablePrefix() {
        return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
        this.tablePrefix = tablePrefix;
    }

    public boolean isMigrateSchema() {
        return migrateSchema;
    }

    public void setMigrateSchema(boolean migrateSchema) {
        this.migrateSchema = migrateSchema;
    }
}
