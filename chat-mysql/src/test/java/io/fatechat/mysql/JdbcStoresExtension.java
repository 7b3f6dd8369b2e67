package io.fatechat.mysql;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link JdbcChatStores} on a throwaway database for one test class:
 * {@code @RegisterExtension static final JdbcStoresExtension DB = new JdbcStoresExtension(TestDatabase::mariaDb);}
 * creates the database and starts the stores before the class, closes both after it.
 */
final class JdbcStoresExtension implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<TestDatabase> databases;
    private TestDatabase database;
    private JdbcChatStores stores;

    JdbcStoresExtension(Supplier<TestDatabase> databases) {
        this.databases = databases;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = databases.get();
        stores = JdbcChatStores.start(database.config().build());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (stores != null) {
                stores.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    JdbcChatStores stores() {
        return stores;
    }

    TestDatabase database() {
        return database;
    }
}
