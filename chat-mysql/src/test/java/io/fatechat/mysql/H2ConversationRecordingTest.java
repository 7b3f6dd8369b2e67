package io.fatechat.mysql;

/** {@link ConversationRecordingContract} on in-process H2 in MySQL mode (a unit test: it needs no service). */
class H2ConversationRecordingTest extends ConversationRecordingContract {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
