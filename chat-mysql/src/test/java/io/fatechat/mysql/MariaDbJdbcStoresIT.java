package io.fatechat.mysql;

/** {@link JdbcStoresContract} on the real MariaDB (or MySQL) server, in a throwaway database. */
class MariaDbJdbcStoresIT extends JdbcStoresContract {

    @Override
    TestDatabase newDatabase() {
        return new MariaDbTestDatabase();
    }
}
