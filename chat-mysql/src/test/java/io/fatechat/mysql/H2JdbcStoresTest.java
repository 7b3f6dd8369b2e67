package io.fatechat.mysql;

/** {@link JdbcStoresContract} on in-process H2 in MySQL mode: a unit test, it needs no service. */
class H2JdbcStoresTest extends JdbcStoresContract {

    @Override
    TestDatabase newDatabase() {
        return new H2TestDatabase();
    }
}
