package io.fatechat.mysql;

/** The table names for one prefix. */
record Tables(
        String users,
        String rooms,
        String messages,
        String conversations,
        String conversationMessages,
        String conversationMembers,
        String recoverySessions) {

    Tables(String prefix) {
        this(
                prefix + "users",
                prefix + "rooms",
                prefix + "messages",
                prefix + "conversations",
                prefix + "conversation_messages",
                prefix + "conversation_members",
                prefix + "recovery_sessions");
    }
}
