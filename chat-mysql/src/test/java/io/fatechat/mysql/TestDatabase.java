package io.fatechat.mysql;

/** A throwaway database for one test class or test: created empty, removed by {@link #close()}. */
interface TestDatabase extends AutoCloseable {

    /** A config builder for this database, with test-friendly short timeouts. */
    JdbcStoreConfig.Builder config();

    /** A config builder reaching this database through {@code proxy} (whose target is {@link #serverPort()}). */
    JdbcStoreConfig.Builder configVia(TcpProxy proxy);

    /** The TCP port of the server that holds this database. */
    int serverPort();

    /** A fresh, empty database on the same server. */
    TestDatabase sibling();

    @Override
    void close();
}
