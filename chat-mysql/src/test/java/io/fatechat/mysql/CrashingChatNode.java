package io.fatechat.mysql;

import io.fatechat.core.ChatConnection;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatLimits;
import java.io.PrintStream;
import java.util.concurrent.Semaphore;

/**
 * The embedded default in a process of its own, for {@link H2DurableAckIT} to kill: an engine on the in-memory
 * bus and an H2 file store that sends a steady stream with client ids {@code c0, c1, ...}, up to 64 at a time,
 * and prints {@code ACK <clientId> <id>} for each acknowledged one. Runs until killed.
 */
public final class CrashingChatNode {

    static final String USER = "crash@example.com";
    static final String ROOM = "crash room";

    private CrashingChatNode() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        JdbcChatStores stores =
                JdbcChatStores.start(JdbcStoreConfig.builder(args[0]).build());
        ChatEngine engine = ChatEngine.builder()
                .userStore(stores.users())
                .roomStore(stores.rooms())
                .historyStore(stores.history())
                .bcryptCost(4)
                .tokenSecret("a test secret of at least 32 bytes!!")
                .limits(ChatLimits.builder()
                        .messagesPerSecond(1_000_000)
                        .messageBurst(1_000_000)
                        .build())
                .build();
        engine.createRoom(USER, ROOM);
        ChatConnection connection = engine.connect(USER);
        connection.joinRoom(ROOM);
        Semaphore inFlight = new Semaphore(64);
        for (int i = 0; ; i++) {
            inFlight.acquire();
            String clientId = "c" + i;
            connection.sendMessage(ROOM, "message " + i, clientId).whenComplete((receipt, failure) -> {
                inFlight.release();
                if (failure == null) {
                    synchronized (out) {
                        out.println("ACK " + clientId + " " + receipt.id());
                        out.flush();
                    }
                }
            });
        }
    }
}
