package io.fatechat.mysql;

/** {@link PersisterContract} on the real MariaDB, in a throwaway database. */
class MariaDbPersisterIT extends PersisterContract {

    @Override
    TestDatabase newDatabase() {
        return new MariaDbTestDatabase();
    }
}
