package io.fatechat.mysql;

/** {@link PersisterContract} on MySQL 8 (where Docker is or FATECHAT_TEST_MYSQL8_URL is set; skipped otherwise), in a throwaway database. */
class MySql8PersisterIT extends PersisterContract {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.mySql8();
    }
}
