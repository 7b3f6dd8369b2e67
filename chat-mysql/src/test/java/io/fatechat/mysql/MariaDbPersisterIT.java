package io.fatechat.mysql;

/** {@link PersisterContract} on the MariaDB the tests find (FATECHAT_TEST_MYSQL_URL, a container or the local server), in a throwaway database. */
class MariaDbPersisterIT extends PersisterContract {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.mariaDb();
    }
}
