package io.fatechat.mysql;

/** {@link ConversationRecordingContract} on the MariaDB the tests find, in a throwaway database. */
class MariaDbConversationRecordingIT extends ConversationRecordingContract {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.mariaDb();
    }
}
