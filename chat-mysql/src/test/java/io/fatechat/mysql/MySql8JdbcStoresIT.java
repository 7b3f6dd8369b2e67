package io.fatechat.mysql;

/** {@link JdbcStoresContract} on MySQL 8 (where Docker is or FATECHAT_TEST_MYSQL8_URL is set; skipped otherwise), in a throwaway database. */
class MySql8JdbcStoresIT extends JdbcStoresContract {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.mySql8();
    }
}
