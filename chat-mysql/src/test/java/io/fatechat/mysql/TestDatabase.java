package io.fatechat.mysql;

import io.fatechat.testing.JdbcServer;
import io.fatechat.testing.TestServices;
import org.junit.jupiter.api.Assumptions;

/** A throwaway database for one test class or test: created empty, removed by {@link #close()}. */
interface TestDatabase extends AutoCloseable {

    /** In-process H2 in MySQL mode: needs no service. */
    static TestDatabase h2() {
        return new H2TestDatabase();
    }

    /** On the MariaDB the tests find (see {@link TestServices}). */
    static TestDatabase mariaDb() {
        return new ServerTestDatabase(TestServices.mariaDb());
    }

    /** On a MySQL 8 server, where Docker is or FATECHAT_TEST_MYSQL8_URL is set; skips the test otherwise. */
    static TestDatabase mySql8() {
        JdbcServer server = TestServices.mySql8().orElse(null);
        Assumptions.assumeTrue(server != null, TestServices::mySql8Missing);
        return new ServerTestDatabase(server);
    }

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
