package io.fatechat.mysql;

/** {@link JdbcStoresContract} on the MariaDB the tests find (FATECHAT_TEST_MYSQL_URL, a container or the local server), in a throwaway database. */
class MariaDbJdbcStoresIT extends JdbcStoresContract {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.mariaDb();
    }
}
