/**
 * JDBC stores for users, rooms and history on MySQL 8, MariaDB 10.6+ and H2 in MySQL mode.
 *
 * <p>Start with {@link io.fatechat.mysql.JdbcChatStores#start(io.fatechat.mysql.JdbcStoreConfig)}; it opens a
 * HikariCP pool, creates or migrates the schema and hands out the stores. Every call fails within the pool's
 * connection timeout with {@link io.fatechat.spi.BackendUnavailableException} (backend {@code jdbc}) while the
 * database is down. The DDL for DBAs is the classpath resource {@code META-INF/fatechat/mysql-schema.sql}.
 */
package io.fatechat.mysql;
