package io.fatechat.mysql;

/** The table names for one prefix. */
record Tables(String users, String rooms, String messages) {

    Tables(String prefix) {
        this(prefix + "users", prefix + "rooms", prefix + "messages");
    }
}
