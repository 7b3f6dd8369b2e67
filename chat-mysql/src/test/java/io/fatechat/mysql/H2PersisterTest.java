package io.fatechat.mysql;

/** {@link PersisterContract} on H2 in MySQL mode, served over H2's TCP server so the outage can cut it. */
class H2PersisterTest extends PersisterContract {

    @Override
    TestDatabase newDatabase() {
        return new H2TestDatabase();
    }
}
